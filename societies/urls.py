from django.urls import path

from societies.api import admin, hierarchy, resident, society_admin, vendor

SOCIETY = "admin/society/<int:society_id>"

urlpatterns = [
    # seed 001 2.1 residents
    path("onboarding/resident/check-roster", resident.CheckRosterView.as_view(), name="resident-check-roster"),
    path("societies/search", resident.SearchView.as_view(), name="societies-search"),
    path("onboarding/resident/register", resident.RegisterView.as_view(), name="resident-register"),
    path(
        "residents/<uuid:user_id>/switch-society", resident.SwitchSocietyView.as_view(), name="resident-switch-society"
    ),
    path("residents/<uuid:user_id>/residences", resident.ResidencesView.as_view(), name="resident-residences"),
    # seed 001 2.2.4 vendors
    path("onboarding/vendor/<uuid:vendor_id>/societies", vendor.SocietyRequestsView.as_view(), name="vendor-societies"),
    # seed 001 3.1.6-3.1.8 hierarchy
    path("societies/<int:society_id>/hierarchy", hierarchy.HierarchyView.as_view(), name="society-hierarchy"),
    path("societies/<int:society_id>/hierarchy/nodes", hierarchy.NodesView.as_view(), name="society-nodes"),
    path("societies/<int:society_id>/units", hierarchy.UnitsView.as_view(), name="society-units"),
    # seed 001 3.1 society admin
    path(
        f"{SOCIETY}/residents/pending", society_admin.PendingResidentsView.as_view(), name="society-residents-pending"
    ),
    path(
        f"{SOCIETY}/residents/<uuid:resident_id>/approve",
        society_admin.ResidentDecisionView.as_view(),
        name="society-resident-approve",
    ),
    path(f"{SOCIETY}/vendors/pending", society_admin.PendingVendorsView.as_view(), name="society-vendors-pending"),
    path(
        f"{SOCIETY}/vendors/<uuid:vendor_id>/approve",
        society_admin.VendorDecisionView.as_view(),
        name="society-vendor-approve",
    ),
    path(f"{SOCIETY}/groups", society_admin.GroupsView.as_view(), name="society-groups"),
    path(
        f"{SOCIETY}/vendors/<uuid:vendor_id>/service-areas",
        society_admin.ServiceAreasView.as_view(),
        name="society-vendor-areas",
    ),
    path(
        f"{SOCIETY}/vendors/<uuid:vendor_id>/service-areas/<int:assignment_id>",
        society_admin.ServiceAreaDeleteView.as_view(),
        name="society-vendor-area",
    ),
    # platform staff
    path("admin/societies", admin.SocietiesAdminView.as_view(), name="admin-societies"),
    path(f"{SOCIETY}/roster", admin.RosterView.as_view(), name="admin-society-roster"),
    path("admin/platform/vendors/pending", admin.PlatformPendingVendorsView.as_view(), name="platform-vendors-pending"),
    path(
        "admin/platform/vendors/<uuid:vendor_id>/verify",
        admin.PlatformVerifyView.as_view(),
        name="platform-vendor-verify",
    ),
]
