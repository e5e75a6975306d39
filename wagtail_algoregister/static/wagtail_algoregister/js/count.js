/*
 * Live count of what is left in a field with a limit, counted as the standard counts:
 * the text without formatting, its paragraphs, list items and line breaks joined by one
 * space (wagtail_algoregister.standard.validation.strip_html).
 *
 * Wagtail's w-count controller counts elements (errors), and Draftail's own counter
 * leaves out the spaces between paragraphs and has no "too long" state, so this is a
 * small Stimulus controller of its own, registered on Wagtail's Stimulus application.
 * It never limits typing or pasting: going over is shown, and publishing refuses it.
 *
 * Markup (admin/forms.py, count_attrs): data-controller="algoregister-count" on the
 * input (for rich text, on Draftail's hidden input, beside "w-init"), with
 * data-algoregister-count-limit-value and the four messages with a {count} placeholder.
 */
(() => {
  const register = () => {
    const { app } = window.wagtail || {};
    const Controller = window.StimulusModule && window.StimulusModule.Controller;
    if (!app || !Controller) return false;

    const length = (text) => Array.from(text).length;

    // The standard's count of Draftail's content: the text of every block, a line
    // break splitting a block, all joined by one space.
    const richCount = (contentState) => {
      const nodes = [];
      ((contentState && contentState.blocks) || []).forEach((block) => {
        if (block.type === 'atomic') return;
        (block.text || '').split('\n').forEach((part) => {
          if (part) nodes.push(part);
        });
      });
      const text = nodes.join(' ').trim();
      return length(text);
    };

    class CountController extends Controller {
      static values = {
        limit: Number,
        rich: Boolean,
        left: String,
        leftOne: String,
        over: String,
        overOne: String,
      };

      connect() {
        this.status = document.createElement('p');
        this.status.id = `${this.element.id || this.element.name}-count`;
        this.status.className = 'w-help-text algoregister-count';
        this.status.setAttribute('aria-live', 'polite');
        const field = this.element.closest('.w-field__input') || this.element.parentNode;
        field.after(this.status);
        if (!this.richValue) {
          const described = this.element.getAttribute('aria-describedby');
          this.element.setAttribute(
            'aria-describedby',
            described ? `${described} ${this.status.id}` : this.status.id,
          );
        }
        this.update = this.update.bind(this);
        this.later = () => {
          clearTimeout(this.timer);
          // Draftail writes its content to the hidden input 250 ms after a change.
          this.timer = setTimeout(this.update, 300);
        };
        this.target = this.richValue ? field : this.element;
        ['input', 'keyup', 'paste', 'cut', 'change'].forEach((name) =>
          this.target.addEventListener(name, this.richValue ? this.later : this.update),
        );
        this.update();
      }

      disconnect() {
        clearTimeout(this.timer);
        ['input', 'keyup', 'paste', 'cut', 'change'].forEach((name) =>
          this.target.removeEventListener(name, this.richValue ? this.later : this.update),
        );
        if (this.status) this.status.remove();
      }

      count() {
        if (!this.richValue) return length(this.element.value.trim());
        if (this.element.rawContentState) return richCount(this.element.rawContentState);
        try {
          return richCount(JSON.parse(this.element.value || 'null'));
        } catch (error) {
          return 0;
        }
      }

      update() {
        const left = this.limitValue - this.count();
        const over = left < 0;
        const number = Math.abs(left);
        let message;
        if (over) message = number === 1 ? this.overOneValue : this.overValue;
        else message = number === 1 ? this.leftOneValue : this.leftValue;
        this.status.textContent = message.replace('{count}', number);
        this.status.classList.toggle('algoregister-count--over', over);
      }
    }

    app.register('algoregister-count', CountController);
    return true;
  };

  if (!register()) document.addEventListener('DOMContentLoaded', register);
})();
