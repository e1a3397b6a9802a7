"""Decision notices and recommendations in the admin.

A notice is drafted from a recommendation on its paper's screen ("Draft a decision notice…"),
signed, published and withdrawn with buttons on its own screen or with list actions, each
through a confirmation page that shows what the move locks or makes public; the moves call
``decisions.services``, which check permissions and completeness. A signed notice is shown
read-only with the way to correct it ("Draft a correction"). ``RecommendationInline`` is used on
the paper screen and ``DecisionNoticeAdmin`` registered, with the money inline, by
``web.admin``, which also says what money a notice commits (``money_to_lock``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from minutebook.admin import (
    DateAwareSearchMixin,
    LockAwareAdmin,
    ReadOnlyWhenLocked,
    RecordInline,
    YearFilter,
    fits_a_key,
    public_link,
)
from minutebook.concurrency import VersionedAdminMixin
from minutebook.records import LockedRecordError

from . import services
from .models import DecisionNotice, Recommendation

Status = DecisionNotice.Status


def notice_change_url(notice_or_pk) -> str:
    pk = getattr(notice_or_pk, "pk", notice_or_pk)
    return reverse("admin:decisions_decisionnotice_change", args=[pk])


def notice_link(notice: DecisionNotice) -> str:
    """A link to the notice's admin screen, with its status. No query."""
    return format_html(
        '<a href="{}">{}</a> ({})',
        notice_change_url(notice),
        notice,
        notice.get_status_display().lower(),
    )


def notice_of(recommendation: Recommendation | None) -> str:
    """The notice that followed ``recommendation``, linked; a dash when none. Reads
    recommendation.decision_notice: a query if not loaded."""
    if recommendation is None or not recommendation.decision_notice_id:
        return "—"
    return notice_link(recommendation.decision_notice)


def may_draft_notices(user) -> bool:
    return all(user.has_perm(perm) for perm in services.DRAFT_PERMISSIONS)


_DIGITS = re.compile(r"[0-9]+")


class RecommendationInline(RecordInline, admin.TabularInline):
    """A paper's recommendations; a row a signed notice followed is shown read-only. Each saved
    row links to its decision notice, or offers "Draft a decision notice…" to staff who may add
    notices: a link to ``DecisionNoticeAdmin.from_recommendation_view``, whose one button drafts
    it. A link, not a button posting from the paper's form: that form's first submit button is
    the one Enter presses, and it must stay "Save"."""

    model = Recommendation
    extra = 1
    autocomplete_fields = ["decided_at", "decision_notice"]
    fields = [
        "position",
        "number",
        "text",
        "outcome",
        "decided_at",
        "outcome_note",
        "decision_notice",
    ]
    readonly_fields = ["notice", "notice_or_draft"]

    def get_fields(self, request, obj=None):
        shown = "notice_or_draft" if may_draft_notices(request.user) else "notice"
        return [*super().get_fields(request, obj), shown]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in {"text", "outcome_note"}:
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 60})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="Notice")
    def notice(self, obj):
        return notice_of(obj)

    @admin.display(description="Notice")
    def notice_or_draft(self, obj):
        if obj is None or obj.pk is None or obj.decision_notice_id:
            return notice_of(obj)
        return format_html(
            '<a class="button" href="{}">Draft a decision notice…</a>',
            reverse("admin:decisions_decisionnotice_from_recommendation", args=[obj.pk]),
        )


class SignedYearFilter(YearFilter):
    year_field = "signed_on"


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label="Reason for withdrawing"
    )


class SigningDateForm(forms.Form):
    """The signing date, offered only to holders of "Can record a historic signing date"; the
    service judges it (not in the future, not before the meeting)."""

    signed_on = forms.DateField(
        required=False,
        label="Signing date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Leave empty to sign today. For a decision signed earlier, the date it was "
        "signed: not in the future, not before the meeting where it was taken.",
    )


@dataclass(frozen=True)
class Move:
    """A lifecycle move as the admin offers it: a button on the notice's screen and a list
    action, both through one confirmation page."""

    name: str  # the URL and action name: "sign"
    label: str  # the button: "Sign…"
    confirm: str  # the confirmation page's button
    done: str  # the message: "Signed 2 decision notice(s)."
    participle: str  # "can be signed"
    permission: str
    starts: tuple[str, ...]  # the statuses it moves from
    intro: str

    def refusal(self, notice: DecisionNotice) -> str | None:
        """Why ``notice`` cannot make this move as it stands, or None. No query."""
        if notice.status not in self.starts:
            starts = " or ".join(Status(status).label.lower() for status in self.starts)
            return (
                f"{notice} is {notice.get_status_display().lower()}: only a {starts} notice "
                f"can be {self.participle}."
            )
        if self.name == "sign":
            return notice.signing_refusal()
        return None


SIGN = Move(
    name="sign",
    label="Sign…",
    confirm="Sign and lock",
    done="Signed",
    participle="signed",
    permission=services.SIGN_PERMISSION,
    starts=(Status.DRAFT,),
    intro="Signing gives a notice its reference and locks it for good: its text, its papers, "
    "the recommendations it followed and the money below can no longer change. A mistake is "
    "then corrected by a new notice that supersedes it.",
)
PUBLISH = Move(
    name="publish",
    label="Publish…",
    confirm="Publish",
    done="Published",
    participle="published",
    permission=services.PUBLISH_PERMISSION,
    starts=(Status.SIGNED,),
    intro="Publishing puts a notice on the public register, with its PDF, for anyone to "
    "read; a published notice is never unpublished, only withdrawn.",
)
WITHDRAW = Move(
    name="withdraw",
    label="Withdraw…",
    confirm="Withdraw",
    done="Withdrew",
    participle="withdrawn",
    permission=services.PUBLISH_PERMISSION,
    starts=(Status.SIGNED, Status.PUBLISHED),
    intro="A withdrawn notice stays on the register, marked withdrawn, with the reason you "
    "give. Its own financial lines leave the totals (a withdrawn decision commits nothing); "
    "its recommendations' lines stay counted with their paper.",
)
MOVES = (SIGN, PUBLISH, WITHDRAW)


class DecisionNoticeAdmin(
    DateAwareSearchMixin,
    LockAwareAdmin,
    ReadOnlyWhenLocked,
    VersionedAdminMixin,
    SimpleHistoryAdmin,
):
    """The notice's own fields and lifecycle. Registered by ``web.admin``, which adds the
    money it commits inline (finance)."""

    list_display = [
        "reference_display",
        "title",
        "status",
        "signed_on",
        "published_on",
        "meeting",
        "pdf",
    ]
    list_filter = ["status", SignedYearFilter, "meeting__board", "decision_maker", "access"]
    list_select_related = ["meeting__board", "decision_maker"]
    search_fields = ["reference", "title", "decision", "executive_summary"]
    autocomplete_fields = ["decision_maker", "meeting", "papers", "signing_paper", "supersedes"]
    raw_id_fields = ["signing_minute"]
    readonly_fields = [
        "reference",
        "status",
        "signed_on",
        "published_on",
        "withdrawn_reason",
        "links",
        "recommendations_followed",
    ]
    actions = ["sign", "publish", "withdraw", "download_pdf"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "reference",
                    "status",
                    "signed_on",
                    "published_on",
                    "withdrawn_reason",
                    "links",
                    "recommendations_followed",
                ]
            },
        ),
        (
            "The decision",
            {
                "fields": [
                    "text_taken_from",
                    "executive_summary",
                    "decision",
                    "reasons",
                    "options_rejected",
                    "consultation",
                    "background",
                ]
            },
        ),
        (
            "Implications",
            {
                "fields": [
                    "financial_implications",
                    "legal_implications",
                    "other_implications",
                    "plan_theme",
                ]
            },
        ),
        (
            "Who and where",
            {
                "fields": [
                    "decision_maker",
                    "decision_maker_title",
                    "forum",
                    "meeting",
                    "taken_outside_meeting",
                    "signing_minute",
                    "signing_paper",
                    "papers",
                    "declarations",
                    "significant_public_interest",
                ]
            },
        ),
        (
            "Access",
            {
                "fields": [
                    "access",
                    "exemption",
                    "background_papers",
                    "contact_officer",
                    "supersedes",
                ]
            },
        ),
    ]

    @admin.display(description="Reference", ordering="reference")
    def reference_display(self, obj):
        return obj.reference or "not recorded"

    @admin.display(description="PDF")
    def pdf(self, obj):
        return format_html('<a href="{}">PDF</a>', reverse("decisions:pdf", args=[obj.pk]))

    @admin.display(description="Links")
    def links(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        parts = [
            public_link(obj),
            format_html(
                '<a href="{}">Download the PDF</a>', reverse("decisions:pdf", args=[obj.pk])
            ),
        ]
        if obj.is_signed:
            parts.append(
                format_html(
                    '<a href="{}">Draft a correction (a new notice superseding this one)</a>',
                    reverse("admin:decisions_decisionnotice_correct", args=[obj.pk]),
                )
            )
        return format_html(" · ".join(["{}"] * len(parts)), *parts)

    @admin.display(description="Recommendations followed")
    def recommendations_followed(self, obj):
        """Each recommendation the notice followed, linked to its paper's screen; their money is
        the notice's too. One query."""
        if obj is None or obj.pk is None:
            return "—"
        followed = list(obj.recommendations.select_related("paper").order_by("paper", "position"))
        if not followed:
            return "None. A notice is drafted from a recommendation on its paper's screen."
        items = format_html_join(
            "",
            '<li><a href="{}">{} of “{}”</a></li>',
            (
                (
                    reverse("admin:boards_paper_change", args=[r.paper_id]),
                    f"Recommendation {r.number}".strip(),
                    r.paper,
                )
                for r in followed
            ),
        )
        return format_html(
            "<ul>{}</ul><p>Their financial lines are money this notice commits (kept, and "
            "edited while the notice is a draft, on the paper).</p>",
            items,
        )

    # -- the money a notice commits: said by the screen that joins finance (web.admin) ---------
    def money_to_lock(self, notice: DecisionNotice, recommendations) -> dict | None:
        """{"lines": [...], "totals": [...]} of the money ``notice`` commits (its own lines and
        those of ``recommendations``), or None where the screen knows no money: the decisions
        app sits below finance."""
        return None

    # -- the lifecycle buttons -----------------------------------------------------------------
    def lifecycle_tools(self, request, notice: DecisionNotice) -> list[tuple[str, str]]:
        """(label, address) of each move ``request.user`` may make on ``notice`` now. No query."""
        return [
            (move.label, reverse(f"admin:decisions_decisionnotice_{move.name}", args=[notice.pk]))
            for move in MOVES
            if notice.status in move.starts and request.user.has_perm(move.permission)
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra = {
            "lifecycle_tools": self.lifecycle_tools(request, obj) if obj is not None else [],
            # "Save and sign…": saves the draft, then asks to confirm the signing.
            "show_save_and_sign": obj is not None
            and obj.status == Status.DRAFT
            and request.user.has_perm(services.SIGN_PERMISSION),
        }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def response_change(self, request, obj):
        if "_sign" in request.POST and obj.status == Status.DRAFT:
            self.message_user(request, f"Saved “{obj}”. Confirm the signing below.")
            return HttpResponseRedirect(
                reverse("admin:decisions_decisionnotice_sign", args=[obj.pk])
            )
        return super().response_change(request, obj)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/correct/",
                view(self.correct_view),
                name="decisions_decisionnotice_correct",
            ),
            path(
                "<path:object_id>/sign/",
                view(self.sign_view),
                name="decisions_decisionnotice_sign",
            ),
            path(
                "<path:object_id>/publish/",
                view(self.publish_view),
                name="decisions_decisionnotice_publish",
            ),
            path(
                "<path:object_id>/withdraw/",
                view(self.withdraw_view),
                name="decisions_decisionnotice_withdraw",
            ),
            path(
                "from-recommendation/<path:recommendation_id>/",
                view(self.from_recommendation_view),
                name="decisions_decisionnotice_from_recommendation",
            ),
            *super().get_urls(),
        ]

    def _notice_for(self, request, object_id) -> DecisionNotice:
        """The notice of an address, for a user who may see it; 404 or 403 otherwise."""
        notice = self.get_object(request, unquote(object_id))
        if notice is None:
            raise Http404("No decision notice has that id.")
        if not self.has_view_or_change_permission(request, notice):
            raise PermissionDenied
        return notice

    def correct_view(self, request, object_id):
        """GET asks for confirmation; only a POST (with its CSRF token) drafts the correction."""
        notice = self._notice_for(request, object_id)
        if not super().has_add_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return render(
                request,
                "admin/decisions/correct.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Draft a correction",
                    "notice": notice,
                    "opts": self.model._meta,
                },
            )
        try:
            draft = services.draft_correction(notice=notice, user=request.user)
        except ValueError as exc:
            return self._refused(request, str(exc), notice_change_url(notice))
        self.message_user(
            request,
            f"Drafted a correction superseding {notice}. Signing it withdraws the original.",
        )
        return HttpResponseRedirect(notice_change_url(draft))

    # -- drafting a notice from a recommendation -----------------------------------------------
    def from_recommendation_view(self, request, recommendation_id):
        """GET (the paper screen's "Draft a decision notice…") says what the draft will hold;
        its button posts, which drafts the notice and opens it. A recommendation that has a
        notice already gets a message linking to it, and no second notice."""
        if not _DIGITS.fullmatch(recommendation_id) or not fits_a_key(recommendation_id):
            raise Http404("No recommendation has that id.")
        recommendation = (
            Recommendation.objects.select_related("paper__meeting", "decided_at", "decision_notice")
            .filter(pk=recommendation_id)
            .first()
        )
        if recommendation is None:
            raise Http404("No recommendation has that id.")
        paper_url = reverse("admin:boards_paper_change", args=[recommendation.paper_id])
        if not may_draft_notices(request.user):
            return self._refused(
                request, "You do not have permission to draft decision notices.", paper_url
            )
        if recommendation.decision_notice_id:
            return self._already_drafted(request, recommendation, recommendation.decision_notice)
        if request.method != "POST":
            return render(
                request,
                "admin/decisions/draft_from_recommendation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Draft a decision notice",
                    "recommendation": recommendation,
                    "meeting": recommendation.decided_at or recommendation.paper.meeting,
                    "cancel_url": paper_url,
                    "opts": self.model._meta,
                },
            )
        try:
            draft = services.draft_notice_from_recommendation(
                recommendation=recommendation, user=request.user
            )
        except services.NoticeAlreadyDrafted as exc:  # drafted meanwhile (a double submit)
            return self._already_drafted(request, recommendation, exc.notice)
        except (PermissionDenied, ValueError, ValidationError) as exc:
            return self._refused(request, f"No notice was drafted. {message(exc)}", paper_url)
        self.message_user(
            request,
            f"Drafted “{draft}” from recommendation {recommendation.number or recommendation.pk}, "
            "with its paper and meeting; the recommendation's money is the notice's. Fill in "
            "the decision, the reasons and the decision maker, then sign.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(notice_change_url(draft))

    def _already_drafted(self, request, recommendation, notice) -> HttpResponseRedirect:
        self.message_user(
            request,
            format_html(
                "Recommendation {} already has a decision notice: {}. No second notice was "
                "drafted.",
                recommendation.number or recommendation.pk,
                notice_link(notice),
            ),
            messages.WARNING,
        )
        return HttpResponseRedirect(
            reverse("admin:boards_paper_change", args=[recommendation.paper_id])
        )

    # -- confirmation pages: one notice (its buttons) or a selection (the list actions) -------
    def _what_moves(self, notice: DecisionNotice, move: Move) -> dict:
        """What the confirmation page shows of ``notice``: the reference it will have, its
        papers, the recommendations it followed, its money, and why it cannot move (if so).
        Three queries, and the money's."""
        recommendations = list(
            notice.recommendations.select_related("paper").order_by("paper", "position")
        )
        return {
            "notice": notice,
            "reference": notice.reference,
            "reference_is_coming": False,
            "papers": list(notice.papers.order_by("date", "pk")),
            "recommendations": recommendations,
            "money": self.money_to_lock(notice, recommendations),
            "refusal": move.refusal(notice),
        }

    def _confirmation(self, request, move: Move, notices, form, *, selected: bool, cancel_url):
        items = [self._what_moves(notice, move) for notice in notices]
        if move is SIGN:  # the references the notices to be numbered will get, in order
            numbered = [i for i in items if i["refusal"] is None and not i["reference"]]
            coming = services.coming_references(timezone.localdate().year, len(numbered))
            for item, reference in zip(numbered, coming, strict=True):
                item.update(reference=reference, reference_is_coming=True)
        many = len(items) != 1
        return render(
            request,
            "admin/decisions/withdraw.html" if move is WITHDRAW else "admin/decisions/confirm.html",
            {
                **self.admin_site.each_context(request),
                "title": f"{move.label.rstrip('…')} decision notice{'s' if many else ''}",
                "move": move,
                "items": items,
                "notices": [item["notice"] for item in items],
                "confirmable": any(item["refusal"] is None for item in items),
                "form": form,
                "selected": selected,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "cancel_url": cancel_url,
                "opts": self.model._meta,
            },
        )

    def _move_form(self, request, move: Move, data=None):
        if move is WITHDRAW:
            return WithdrawForm(data)
        if move is SIGN and services.may_record_historic_signing(request.user):
            return SigningDateForm(data)
        return None

    def _call(self, request, move: Move, notice: DecisionNotice, form) -> DecisionNotice:
        data = form.cleaned_data if form is not None else {}
        if move is SIGN:
            return services.sign_notice(
                notice=notice, user=request.user, signed_on=data.get("signed_on")
            )
        if move is PUBLISH:
            return services.publish_notice(notice=notice, user=request.user)
        return services.withdraw_notice(notice=notice, user=request.user, reason=data["reason"])

    def _move_view(self, request, object_id, move: Move):
        """GET: the confirmation page; POST: the move, then the notice's screen with a message.
        A refusal (no permission, not where the move starts, e.g. signed meanwhile) is a
        message; what the notice or the date lacks is shown on the page again."""
        notice = self._notice_for(request, object_id)
        back = notice_change_url(notice)
        if not request.user.has_perm(move.permission):
            return self._refused(
                request, f"You do not have permission to {move.name} decision notices.", back
            )
        if notice.status not in move.starts:
            return self._refused(request, move.refusal(notice), back)
        form = self._move_form(request, move, request.POST if request.method == "POST" else None)
        if request.method == "POST" and (form is None or form.is_valid()):
            try:
                done = self._call(request, move, notice, form)
            except ValidationError as exc:
                self._show_on(form, exc, request)
            except (PermissionDenied, ValueError, LockedRecordError) as exc:
                return self._refused(request, f"Nothing was done. {message(exc)}", back)
            else:
                self.message_user(request, f"{move.done} {done}.", messages.SUCCESS)
                return HttpResponseRedirect(back)
            notice = DecisionNotice.objects.get(pk=notice.pk)
        return self._confirmation(request, move, [notice], form, selected=False, cancel_url=back)

    def _show_on(self, form, error: ValidationError, request) -> None:
        """Put a service's refusal on the form (under its field where the form has it), or in
        a message when there is no form."""
        if form is None:
            self.message_user(request, message(error), messages.ERROR)
            return
        by_field = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
        for field, errors in by_field.items():
            form.add_error(field if field in form.fields else None, errors)

    def sign_view(self, request, object_id):
        return self._move_view(request, object_id, SIGN)

    def publish_view(self, request, object_id):
        return self._move_view(request, object_id, PUBLISH)

    def withdraw_view(self, request, object_id):
        return self._move_view(request, object_id, WITHDRAW)

    # -- list actions: the same confirmation page for the selection -----------------------------
    def _confirm_selected(self, request, queryset, move: Move):
        if not request.user.has_perm(move.permission):
            self.message_user(
                request,
                f"You do not have permission to {move.name} decision notices.",
                messages.ERROR,
            )
            return None
        confirmed = request.POST.get("post") == "yes" or (
            move is WITHDRAW and "reason" in request.POST
        )
        form = self._move_form(request, move, request.POST if confirmed else None)
        if confirmed and (form is None or form.is_valid()):
            self._each(request, queryset, move.done, lambda n: self._call(request, move, n, form))
            return None
        changelist = reverse("admin:decisions_decisionnotice_changelist")
        return self._confirmation(
            request, move, list(queryset), form, selected=True, cancel_url=changelist
        )

    def _each(self, request, queryset, verb, call):
        done = 0
        for notice in queryset:
            try:
                call(notice)
                done += 1
            except (ValueError, PermissionDenied, ValidationError) as exc:
                self.message_user(request, f"{notice}: {message(exc)}", messages.ERROR)
        if done:
            self.message_user(request, f"{verb} {done} decision notice(s).", messages.SUCCESS)

    @admin.action(description="Sign the selected notices… (gives each its reference and locks it)")
    def sign(self, request, queryset):
        return self._confirm_selected(request, queryset, SIGN)

    @admin.action(description="Publish the selected signed notices…")
    def publish(self, request, queryset):
        return self._confirm_selected(request, queryset, PUBLISH)

    @admin.action(description="Download the PDF of the selected notice")
    def download_pdf(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select one notice to download its PDF.", messages.WARNING)
            return None
        return HttpResponseRedirect(reverse("decisions:pdf", args=[queryset.get().pk]))

    @admin.action(description="Withdraw the selected notices…")
    def withdraw(self, request, queryset):
        return self._confirm_selected(request, queryset, WITHDRAW)


def message(error: Exception) -> str:
    """A refusal's words: a ValidationError's messages joined, else the exception's text."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


@admin.register(Recommendation)
class RecommendationAdmin(
    LockAwareAdmin, ReadOnlyWhenLocked, VersionedAdminMixin, SimpleHistoryAdmin
):
    """Read-only once a signed notice followed the recommendation."""

    list_display = ["__str__", "paper", "outcome", "decided_at", "decision_notice"]
    list_filter = ["outcome", "paper__board"]
    list_select_related = ["paper", "decided_at__board", "decision_notice"]
    search_fields = ["text", "number", "paper__title"]
    autocomplete_fields = ["paper", "decided_at", "decision_notice"]
    readonly_fields = ["notice"]

    @admin.display(description="Notice's screen")
    def notice(self, obj):
        return notice_of(obj)
