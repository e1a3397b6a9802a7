/* Minutebook's admin: one accessible name for each control that the admin's own scripts draw,
   and an error summary whose links move the focus to the field in error.
   Loaded with "defer" by templates/admin/base_site.html: it runs after the form's scripts are
   read and before jQuery's "ready" handlers draw the autocompletes, so it can wrap them. */
'use strict';
{
    // The name of a form control as its <label for>, aria-label or aria-labelledby gives it.
    function nameOf(control) {
        return control.getAttribute('aria-label') ||
            (control.labels && control.labels[0] && control.labels[0].textContent.trim().replace(/:$/, '')) ||
            '';
    }

    // Select2 draws a combobox after each autocomplete <select> and names it by the choice
    // shown (nothing, when none is chosen); it marks that choice a read-only "textbox" too.
    // The combobox takes the <select>'s name; the choice shown is its value.
    function nameCombobox(select) {
        const container = select.nextElementSibling;
        if (!container || !container.classList.contains('select2')) {
            return;
        }
        const name = nameOf(select);
        const combobox = container.querySelector('.select2-selection');
        if (combobox && name) {
            combobox.removeAttribute('aria-labelledby');
            combobox.setAttribute('aria-label', name);
        }
        for (const shown of container.querySelectorAll('.select2-selection__rendered[role="textbox"]')) {
            shown.removeAttribute('role');
            shown.removeAttribute('aria-readonly');
        }
        // A multiple choice types its search into a box inside the combobox.
        const search = container.querySelector('.select2-search__field');
        if (search && name) {
            search.setAttribute('aria-label', name);
        }
    }

    const $ = window.django && window.django.jQuery;
    if ($ && $.fn.djangoAdminSelect2) {
        const draw = $.fn.djangoAdminSelect2;
        $.fn.djangoAdminSelect2 = function() {
            const drawn = draw.apply(this, arguments);
            this.each(function() {
                nameCombobox(this);
            });
            return drawn;
        };
        // An opened dropdown: its search box takes the <select>'s name, and the combobox says
        // which list it controls (select2 says so with aria-owns only).
        $(document).on('select2:open', (event) => {
            const select = event.target;
            const name = nameOf(select);
            for (const search of document.querySelectorAll('.select2-container--open .select2-search__field')) {
                if (name) {
                    search.setAttribute('aria-label', name);
                }
            }
            const combobox = select.nextElementSibling && select.nextElementSibling.querySelector('.select2-selection');
            const results = document.querySelector('.select2-container--open .select2-results__options[id]');
            if (combobox && results) {
                combobox.setAttribute('aria-controls', results.id);
            }
        });
        $(document).on('select2:close', (event) => {
            const combobox = event.target.nextElementSibling && event.target.nextElementSibling.querySelector('.select2-selection');
            if (combobox) {
                combobox.removeAttribute('aria-controls');
            }
        });
    }

    // A row added with "Add another" is a copy of the template row, whose inputs are named
    // "Title, new row" (minutebook.widgets.name_row_inputs): number them like the others.
    document.addEventListener('formset:added', (event) => {
        const row = event.target;
        const index = /-(\d+)$/.exec(row.id || '');
        if (!index) {
            return;
        }
        const where = 'row ' + (parseInt(index[1], 10) + 1);
        for (const control of row.querySelectorAll('[aria-label$=", new row"]')) {
            control.setAttribute('aria-label', control.getAttribute('aria-label').replace(/new row$/, where));
        }
        // Django's script renumbers the copy's ids but not the references to them.
        for (const control of row.querySelectorAll('[aria-describedby*="__prefix__"]')) {
            control.setAttribute('aria-describedby', control.getAttribute('aria-describedby').replace(/__prefix__/g, index[1]));
        }
        for (const select of row.querySelectorAll('select.admin-autocomplete')) {
            nameCombobox(select);
        }
    });

    // A tabular inline wider than its column scrolls in its own box (static/css/admin.css).
    // With no field in it to tab to (a read-only record), the box itself takes the focus, so
    // that it can be scrolled with the keyboard.
    function focusableWhenScrolling() {
        for (const box of document.querySelectorAll('.inline-group .tabular fieldset.module')) {
            const wide = box.scrollWidth > box.clientWidth;
            if (wide && !box.querySelector('input:not([type="hidden"]), select, textarea')) {
                box.setAttribute('tabindex', '0');
            } else if (box.getAttribute('tabindex') === '0') {
                box.removeAttribute('tabindex');
            }
        }
    }
    focusableWhenScrolling();
    window.addEventListener('resize', focusableWhenScrolling);

    // The error summary (templates/admin/change_form.html): following a link moves the focus
    // to the field (for an autocomplete, to its combobox) or the row it names.
    function focusTarget(target) {
        let focusable = target;
        if (target.matches('select.select2-hidden-accessible')) {
            focusable = target.nextElementSibling && target.nextElementSibling.querySelector('.select2-selection');
        } else if (!target.matches('input, select, textarea, button, a[href], [tabindex]')) {
            target.setAttribute('tabindex', '-1');
        }
        if (focusable) {
            focusable.scrollIntoView({block: 'center'});
            focusable.focus({preventScroll: true});
        }
    }

    document.addEventListener('click', (event) => {
        const link = event.target.closest('.error-summary a[href^="#"]');
        if (!link) {
            return;
        }
        const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
        if (target) {
            event.preventDefault();
            // A collapsed inline (a closed <details>) is opened first.
            const details = target.closest('details');
            if (details) {
                details.open = true;
            }
            focusTarget(target);
        }
    });

    // The summary takes the focus when the page loads, so it is the first thing read. On
    // "load": after the admin's change_form.js, which focuses the first field of a new record.
    window.addEventListener('load', () => {
        const summary = document.querySelector('.error-summary');
        if (summary) {
            summary.focus();
        }
    });
}
