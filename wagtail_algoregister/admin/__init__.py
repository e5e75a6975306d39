"""The editors' side of the register: forms, edit panels and admin views."""
