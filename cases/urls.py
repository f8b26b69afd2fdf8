from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("new/", views.new_case, name="new"),
    path("hints/", views.formulation_hints, name="hints"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/edit/", views.edit_case, name="edit"),
    path("<uuid:case_id>/delete/", views.delete_case, name="delete"),
    path("<uuid:case_id>/propose/", views.propose_case, name="propose"),
    path("<uuid:case_id>/withdraw/", views.withdraw_case, name="withdraw"),
    path("<uuid:case_id>/logbook/", views.share_in_logbook, name="share"),
    path("<uuid:case_id>/summary/", views.summary_page, name="summary"),
    path("<uuid:case_id>/summary.pdf", views.summary_pdf_view, name="summary_pdf"),
    path("<uuid:case_id>/summary.md", views.summary_markdown_view, name="summary_md"),
    path("<uuid:case_id>/plan/", views.edit_action_plan, name="action_plan"),
    path("<uuid:case_id>/follow-up/", views.record_follow_up, name="follow_up"),
    path("<uuid:case_id>/follow-up/panel/", views.follow_up_panel, name="follow_up_panel"),
]
