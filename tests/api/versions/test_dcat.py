"""The DCAT description lists every kept release as a dcat:Dataset in a dcat:DatasetSeries
(DCAT 3 versioning: dcat:version, dcat:previousVersion), each with its distributions."""

from __future__ import annotations

import pyoxigraph as ox

from tests.support.two_releases import TwoReleases

DCAT = "http://www.w3.org/ns/dcat#"
ID = "https://w3id.org/kinderschutz-kg/id/"


def test_every_release_is_a_dataset_in_the_series(client, two: TwoReleases) -> None:
    answer = client.get("/dataset", headers={"Accept": "text/turtle"})
    store = ox.Store()
    store.load(answer.content, format=ox.RdfFormat.TURTLE)
    rows = store.query(
        f"""PREFIX dcat: <{DCAT}>
        SELECT ?version ?previous (COUNT(?dist) AS ?dists) (SAMPLE(?url) AS ?download) WHERE {{
          ?series a dcat:DatasetSeries .
          ?dataset a dcat:Dataset ; dcat:inSeries ?series ; dcat:version ?version ;
                   dcat:distribution ?dist .
          ?dist dcat:downloadURL ?url .
          OPTIONAL {{ ?dataset dcat:previousVersion/dcat:version ?previous }}
        }} GROUP BY ?version ?previous ORDER BY ?previous"""
    )
    found = {
        r["version"].value: (r["previous"], int(r["dists"].value), r["download"].value)
        for r in rows
    }
    assert set(found) == {two.old.version, two.new.version}
    assert found[two.old.version][0] is None
    assert found[two.new.version][0].value == two.old.version
    assert all(dists == 5 for _, dists, _ in found.values())
    assert found[two.old.version][2].endswith(f"?version={two.old.version}")
    current = ox.NamedNode(f"{ID}dataset/version/{two.new.version}")
    assert any(
        store.quads_for_pattern(
            ox.NamedNode(ID + "dataset"), ox.NamedNode(DCAT + "hasCurrentVersion"), current
        )
    )
