"""The referral directory: CSV import with per-row rejection, search by distance/state/kind,
admin-only maintenance."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.followup.demo import sample_csv, seed_demo_directory
from kratom_recovery.web.followup.models import Referral, ReferralImport
from kratom_recovery.web.followup.referrals import actions as referrals
from kratom_recovery.web.followup.referrals import queries as directory

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)

FINDTREATMENT = (
    "name1,name2,street1,street2,city,state,zip,phone,website,latitude,longitude,"
    "typeFacility,services\n"
    "Example Harbor Clinic,Main site,1 Example Way,Suite 2,Baltimore,MD,21201,"
    "410-555-0111,harbor.example.invalid,39.29,-76.62,SA,OP;BU\n"  # line 2: good
    "Sample Bad State,,2 Sample Way,,Nowhere,XX,21201,,,,,SA,OP\n"  # line 3: state
    "Example Bay Detox,,3 Example Way,,Annapolis,MD,21401,410-555-0112,,,,SA,DT;RES\n"
    ",,4 No Name St,,Baltimore,MD,21201,,,,,SA,\n"  # line 5: name1
    "Sample Zip,,5 Sample Way,,Baltimore,MD,2120,,,,,SA,\n"  # line 6: zip
    "Sample Lat,,6 Sample Way,,Baltimore,MD,21201,,,95,-76,SA,\n"  # line 7: latitude
    "Sample Extra,,7 Sample Way,,Baltimore,MD,21201,,,,,SA,OP,surplus\n"  # line 8: columns
)


def do_import(data: bytes | str, **kwargs: Any) -> referrals.ImportReport:
    raw = data.encode() if isinstance(data, str) else data
    return referrals.import_csv(raw, source=kwargs.get("source", "test"),
                                pulled_on=kwargs.get("pulled_on", date(2026, 11, 1)),
                                actor=None, now=NOW)


def test_sample_is_synthetic_and_imports() -> None:
    text = sample_csv().decode()
    assert "example.invalid" in text and "555-01" in text
    report = seed_demo_directory(NOW)
    assert (report.created, report.updated, report.errors) == (10, 0, [])
    assert Referral.objects.filter(latitude__isnull=False).count() == 10  # ZIP centroids
    again = seed_demo_directory(NOW)
    assert (again.created, again.updated) == (0, 10)  # re-import updates, no duplicates


def test_findtreatment_rows_malformed_rejected_with_line_numbers_rest_imported() -> None:
    report = do_import(FINDTREATMENT, source="findtreatment.gov")
    assert report.layout == "findtreatment"
    assert report.created == 2
    assert [line for line, _ in report.errors] == [3, 5, 6, 7, 8]
    messages = dict(report.errors)
    assert messages[3].startswith("state") and messages[5].startswith("name1")
    assert messages[6].startswith("zip") and messages[7].startswith("latitude")
    harbor = Referral.objects.get(name="Example Harbor Clinic – Main site")
    assert harbor.street == "1 Example Way, Suite 2"
    assert harbor.website == "https://harbor.example.invalid"
    assert harbor.kind == "medication" and harbor.services == ["OP", "BU"]
    assert Referral.objects.get(name="Example Bay Detox").kind == "detox"
    log = ReferralImport.objects.get()
    assert log.pulled_on == date(2026, 11, 1) and log.created == 2 and len(log.errors) == 5


@pytest.mark.parametrize(("data", "field"), [
    ("city,state\nX,NY\n", "file"),
    ("", "file"),
    (b"\xff\xfe\x00bad", "file"),
])
def test_unusable_files_rejected(data: bytes | str, field: str) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        do_import(data)
    assert excinfo.value.field == field
    assert not Referral.objects.exists()


def test_pull_date_in_future_rejected() -> None:
    with pytest.raises(InvalidInput) as excinfo:
        do_import(sample_csv(), pulled_on=date(2027, 1, 1))
    assert excinfo.value.field == "pulled_on"


def test_zip_search_orders_by_distance() -> None:
    seed_demo_directory(NOW)
    hits = directory.search(zip_code="10001", radius=250)
    names = [h.referral.name for h in hits]
    assert names[0] == "Example Recovery Center"
    distances = [h.distance for h in hits]
    assert distances == sorted(distances)  # type: ignore[type-var]
    assert "Demo Pacific Recovery" not in names  # Los Angeles is far outside 250 miles
    assert set(names) >= {"Sample Withdrawal Clinic", "Placeholder Medication Program",
                          "Fictional Residential House", "Demo Peer Circle"}
    near_la = directory.search(zip_code="90012", radius=25)
    assert [h.referral.name for h in near_la] == ["Demo Pacific Recovery"]


def test_search_filters_state_kind_service() -> None:
    seed_demo_directory(NOW)
    assert {h.referral.name for h in directory.search(state="NY")} == {
        "Example Recovery Center", "Sample Withdrawal Clinic"}
    assert [h.referral.name for h in directory.search(kind="residential")] == [
        "Fictional Residential House"]
    spanish = {h.referral.name for h in directory.search(service="Spanish")}
    assert spanish == {"Example Recovery Center", "Sample Texas Treatment Center",
                       "Demo Pacific Recovery"}
    with pytest.raises(InvalidInput):
        directory.search(zip_code="00000")


def test_directory_page_for_patient_and_clinician(
    client: Client, pat: Any, cleo: Any, django_assert_max_num_queries: Any
) -> None:
    seed_demo_directory(NOW)
    for user in (pat.user, cleo):
        client.force_login(user)
        with django_assert_max_num_queries(8):
            page = client.get(reverse("directory"), {"zip": "10001", "radius": "100"})
        text = page.content.decode()
        assert text.index("Example Recovery Center") < text.index("Sample Withdrawal Clinic")
        assert "miles" in text
    response = client.get(reverse("directory"), {"zip": "1000"})
    assert "5-digit ZIP" in response.content.decode()
    response = client.get(reverse("directory"), {"zip": "00000"})
    assert response.context["form"].errors["zip"]
    client.logout()
    assert client.get(reverse("directory")).status_code == 302


def test_admin_pages_refuse_other_roles(client: Client, pat: Any, cleo: Any) -> None:
    referral = Referral.objects.create(name="Example Place", state="NY", zip="10001")
    for user in (pat.user, cleo):
        client.force_login(user)
        for url in (reverse("admin-directory"), reverse("new-referral"),
                    reverse("edit-referral", args=[referral.pk]), reverse("import-referrals")):
            assert client.get(url).status_code == 403


def test_admin_list_bounded_queries(client: Client, ada: Any,
                                    django_assert_max_num_queries: Any) -> None:
    seed_demo_directory(NOW)
    client.force_login(ada)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("admin-directory"))
    assert "Example Recovery Center" in page.content.decode()


def test_admin_import_upload_reports_lines(client: Client, ada: Any) -> None:
    client.force_login(ada)
    upload = SimpleUploadedFile("rows.csv", FINDTREATMENT.encode(), content_type="text/csv")
    response = client.post(reverse("import-referrals"),
                           {"file": upload, "source": "findtreatment.gov",
                            "pulled_on": "2026-11-01"})
    text = response.content.decode()
    assert "Line 3: state" in text and "Line 8" in text
    assert Referral.objects.count() == 2
    assert ReferralImport.objects.get().imported_by == ada


def test_admin_adds_and_edits_entry(client: Client, ada: Any) -> None:
    client.force_login(ada)
    data = {"name": "Example New Place", "kind": "outpatient", "street": "1 Example St",
            "city": "Boston", "state": "ma", "zip": "02108", "phone": "617-555-0199",
            "website": "https://new.example.invalid", "services": "evening; spanish",
            "latitude": "", "longitude": ""}
    assert client.post(reverse("new-referral"), data).status_code == 302
    place = Referral.objects.get(name="Example New Place")
    assert place.state == "MA" and place.services == ["evening", "spanish"]
    assert place.latitude is not None
    response = client.post(reverse("edit-referral", args=[place.pk]), {**data, "state": "ZZ"})
    assert response.status_code == 200 and response.context["form"].errors["state"]
    place.refresh_from_db()
    assert place.state == "MA"
    assert client.get(reverse("edit-referral", args=[10**6])).status_code == 404
