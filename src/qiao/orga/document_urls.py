"""Back-office documents of an event's matchmaking: agendas, table plan, interpreters' plan."""

from django.urls import path

from qiao.orga import views_documents as views

D = "<slug:organizer>/events/<slug:event>/matchmaking/documents/"

urlpatterns = [
    path(D + "agendas.pdf", views.agendas_pdf, name="agendas_pdf"),
    path(D + "table-plan.pdf", views.table_plan_pdf, name="table_plan_pdf"),
    path(D + "table-plan.xlsx", views.table_plan_xlsx, name="table_plan_xlsx"),
    path(D + "interpreters.pdf", views.interpreter_plan_pdf, name="interpreter_plan_pdf"),
    path(D + "interpreters.xlsx", views.interpreter_plan_xlsx, name="interpreter_plan_xlsx"),
]
