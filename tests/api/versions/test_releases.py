"""GET /releases, GET /releases/V1/diff/V2 and `kskg diff` name exactly the Kommune the newer
release added and its items; the patch is the N-Quads of the added and removed triples."""

from __future__ import annotations

import pyoxigraph as ox

from kskg.release_diff import NO_KOMMUNE
from tests.build.conftest import run_kskg
from tests.support.two_releases import NEW_KOMMUNE, NEW_SHEET, TwoReleases

KOMMUNE = ox.NamedNode("https://w3id.org/kinderschutz-kg/ontology#Kommune")


def assert_only_the_new_kommune(kommunen: list[dict]) -> None:
    named = [k for k in kommunen if k["kommune"] != NO_KOMMUNE]
    assert [(k["kommune"], k["change"], k["label"]) for k in named] == [
        (NEW_KOMMUNE, "added", "Landkreis Testhausen")
    ]
    items = named[0]["items"]
    assert [i["text"] for i in items["massnahme"]["added"]] == [
        "Einführung einer kollegialen Fallberatung im Allgemeinen Sozialen Dienst",
        "Gemeinsamer Fachtag mit der Jugendhilfe",
    ]
    assert [i["text"] for i in items["besonderheit"]["added"]] == [
        "Der Landkreis kam spät zum Projekt hinzu."
    ]
    others = [i for changes in items.values() for part, found in changes.items() for i in found]
    assert len(others) == 3
    assert named[0]["findings"]["appeared"] and not named[0]["findings"]["went_away"]


def test_releases_lists_both_with_the_changes(client, two: TwoReleases) -> None:
    body = client.get("/releases").json()
    assert body["current"] == two.new.version
    new, old = body["releases"]
    assert (new["version"], old["version"]) == (two.new.version, two.old.version)
    assert new["current"] and not old["current"]
    assert new["previous_version"] == two.old.version and old["changes"] is None
    assert new["generator"].startswith("kinderschutz-kg ")
    assert new["published"] >= old["published"]
    assert new["per_class"]["ksk:Kommune"] == old["per_class"]["ksk:Kommune"] + 1
    assert NEW_SHEET in {s["file"].rsplit("/", 1)[-1] for s in new["sources"]}
    assert all(len(s["sha256"]) == 64 for s in new["sources"])
    assert_only_the_new_kommune(new["changes"]["kommunen"])
    assert new["links"]["dumps"].endswith(f"dumps/?version={two.new.version}")
    page = client.get("/releases", headers={"Accept": "text/html"})
    assert "Landkreis Testhausen" in page.text and "neue Kommune" in page.text


def test_the_diff_and_its_patch(client, two: TwoReleases) -> None:
    path = f"/releases/{two.old.version[:8]}/diff/{two.new.version}"
    body = client.get(path).json()
    assert (body["from"], body["to"]) == (two.old.version, two.new.version)
    assert_only_the_new_kommune(body["kommunen"])
    graphs = {g["graph"].rsplit("/", 1)[-1]: g for g in body["graphs"]}
    assert graphs[NEW_SHEET.removesuffix(".txt")]["removed"] == 0
    added = client.get(body["patch"]["added"])
    assert added.headers["content-type"].startswith("application/n-quads")
    quads = list(ox.parse(added.content, format=ox.RdfFormat.N_QUADS))
    assert len(quads) == body["triples"]["added"]
    assert any(q.subject.value == NEW_KOMMUNE and q.object == KOMMUNE for q in quads)
    removed = client.get(path, params={"format": "nq", "part": "removed"})
    assert (
        len(list(ox.parse(removed.content, format=ox.RdfFormat.N_QUADS)))
        == (body["triples"]["removed"])
    )
    assert "Landkreis Testhausen" in client.get(path, headers={"Accept": "text/html"}).text


def test_a_diff_of_an_unknown_version_is_a_404(client, two: TwoReleases) -> None:
    answer = client.get(f"/releases/{two.old.version}/diff/0123456789abcdef")
    assert answer.status_code == 404 and answer.json()["error"] == "unknown_version"
    assert answer.json()["known_versions"] == [two.old.version, two.new.version]


def test_kskg_diff_names_the_new_kommune_and_its_items(two: TwoReleases, tmp_path) -> None:
    build = str(two.settings.build_dir)
    done = run_kskg("diff", two.old.version[:8], two.new.version, "--build-dir", build,
                    "--nquads", str(tmp_path), cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"{NEW_KOMMUNE} (Landkreis Testhausen): new Kommune" in done.stdout
    assert "massnahme added: " + NEW_KOMMUNE.replace("kommune/", "massnahme/") + "/1" in done.stdout
    assert "besonderheit added:" in done.stdout
    assert (tmp_path / "added.nq").stat().st_size > 0
    unknown = run_kskg(
        "diff", "0123456789abcdef", two.new.version, "--build-dir", build, cwd=tmp_path
    )
    assert unknown.returncode == 1 and "no release '0123456789abcdef' is kept" in unknown.stderr
