"""DCAT description of the dataset and its dumps, and its VoID statistics (computed once per
release and cached by data version).

DCAT 3 (https://www.w3.org/TR/vocab-dcat-3/): dcat:Dataset with one dcat:Distribution per dump
(media type, byte size, SPDX sha256 checksum from manifest.json, download URL, licence).
Every kept release is a dcat:Dataset of its own (`…/id/dataset/version/<V>`, DCAT 3 §11
versioning: dcat:version, dcat:previousVersion, dct:issued) in the dcat:DatasetSeries
`…/id/dataset/versionen`, with its own distributions (`/dumps/<file>?version=V`);
`…/id/dataset` has each as dcat:hasVersion and the current one as dcat:hasCurrentVersion.
VoID (https://www.w3.org/TR/void/): triples, classes, properties, class/property partitions.
"""

from __future__ import annotations

import hashlib

import pyoxigraph as ox

from api.curated.cache import VersionedCache
from api.http.served import Served
from api.media import DUMP_FILES
from api.pages.linked_data import select
from kskg.namespaces import DCAT, DCTERMS, FORMATS, ID, OWL, RDF, SPDX, VOID, XSD
from kskg.release_history import PublishedRelease

DCT = str(DCTERMS)
RDF_TYPE = ox.NamedNode(RDF + "type")
OWL_VERSION = ox.NamedNode(OWL + "versionInfo")
LICENSE = ox.NamedNode("https://creativecommons.org/licenses/by/4.0/")
DATASET = ox.NamedNode(str(ID) + "dataset")
SERIES = ox.NamedNode(str(ID) + "dataset/versionen")
_cache = VersionedCache(size=8)


def _n(namespace, local: str) -> ox.NamedNode:
    return ox.NamedNode(str(namespace) + local)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))


def dcat(
    served: Served, base: str, releases: list[PublishedRelease], current: str
) -> list[ox.Triple]:
    """The DCAT triples for the served release and every kept one (`releases`, oldest first;
    `current` the version served without `version=`); `base` = public base URL ending in
    '/'."""
    key = ("dcat", base, current, tuple(r.version for r in releases))
    return _cache.get_or_compute(
        served.version, key, lambda: _dcat(served, base) + _series(releases, base, current)
    )


def version_node(version: str) -> ox.NamedNode:
    return ox.NamedNode(f"{DATASET.value}/version/{version}")


def _series(releases: list[PublishedRelease], base: str, current: str) -> list[ox.Triple]:
    t = [(SERIES, RDF_TYPE, _n(DCAT, "DatasetSeries")),
         (SERIES, ox.NamedNode(DCT + "title"), ox.Literal("Versionen des Wissensgraphen", language="de"))]  # fmt: skip # noqa: E501
    previous = None
    for published in releases:
        node, version = version_node(published.version), published.version
        t += [
            (node, RDF_TYPE, _n(DCAT, "Dataset")),
            (node, _n(DCAT, "inSeries"), SERIES),
            (node, _n(DCAT, "version"), ox.Literal(version)),
            (node, ox.NamedNode(DCT + "issued"), _date_time(published.published)),
            (node, ox.NamedNode(DCT + "license"), LICENSE),
            (DATASET, _n(DCAT, "hasVersion"), node),
        ]
        if previous is not None:
            t.append((node, _n(DCAT, "previousVersion"), previous))
        if version == current:
            t.append((DATASET, _n(DCAT, "hasCurrentVersion"), node))
        files = published.release.manifest.get("files", {})
        for rep in DUMP_FILES:
            name = published.release.dump_path(rep.suffix).name
            info = files.get(name, {})
            t += _distribution(rep.suffix, name, rep.media_type, info, base, node, version)
        previous = node
    if releases:
        t += [(SERIES, _n(DCAT, "first"), version_node(releases[0].version)),
              (SERIES, _n(DCAT, "last"), version_node(releases[-1].version))]  # fmt: skip
    return [ox.Triple(*triple) for triple in t]


def _date_time(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + "dateTime"))


def void(served: Served, base: str) -> list[ox.Triple]:
    return _cache.get_or_compute(served.version, ("void", base), lambda: _void(served, base))


def _dcat(served: Served, base: str) -> list[ox.Triple]:
    t = [
        (DATASET, RDF_TYPE, _n(DCAT, "Dataset")),
        (
            DATASET,
            ox.NamedNode(DCT + "title"),
            ox.Literal(
                "Wissensgraph »Aus Fehlern lernen – Qualitätsmanagement im Kinderschutz«",
                language="de",
            ),
        ),  # noqa: E501
        (
            DATASET,
            ox.NamedNode(DCT + "title"),
            ox.Literal(
                "Knowledge graph 'Learning from mistakes – quality management in child protection'",
                language="en",
            ),
        ),  # noqa: E501
        (DATASET, ox.NamedNode(DCT + "license"), LICENSE),
        (DATASET, OWL_VERSION, ox.Literal(served.version)),
        (DATASET, _n(DCAT, "version"), ox.Literal(served.version)),
        (DATASET, _n(DCAT, "landingPage"), ox.NamedNode(base + "dataset")),
    ]
    for row in select(served.store, "documents"):
        t.append((DATASET, ox.NamedNode(DCT + "source"), row["dokument"]))
    files = served.release.manifest.get("files", {})
    for rep in DUMP_FILES:
        name = served.release.dump_path(rep.suffix).name
        t.extend(_distribution(rep.suffix, name, rep.media_type, files.get(name, {}), base))
    return [ox.Triple(*triple) for triple in t]


def _distribution(
    fmt: str,
    name: str,
    media_type: str,
    info: dict,
    base: str,
    dataset: ox.NamedNode = DATASET,
    version: str | None = None,
) -> list[tuple]:
    """The distribution of dump `name` of `dataset` (of release `version`: its download URL
    asks for that release; None: the one served)."""
    dist = ox.NamedNode(f"{dataset.value}/distribution/{fmt}")
    asked = f"?version={version}" if version else ""
    t = [
        (dataset, _n(DCAT, "distribution"), dist),
        (dist, RDF_TYPE, _n(DCAT, "Distribution")),
        (dist, ox.NamedNode(DCT + "title"), ox.Literal(name)),
        (
            dist,
            _n(DCAT, "mediaType"),
            ox.NamedNode(f"https://www.iana.org/assignments/media-types/{media_type}"),
        ),  # noqa: E501
        (dist, _n(DCAT, "downloadURL"), ox.NamedNode(f"{base}dumps/{name}{asked}")),
        (dist, _n(DCAT, "accessURL"), ox.NamedNode(f"{base}dumps/{asked}")),
        (dist, ox.NamedNode(DCT + "license"), LICENSE),
    ]
    if "bytes" in info:
        t.append((dist, _n(DCAT, "byteSize"), _int(info["bytes"])))
    if info.get("sha256"):
        checksum = ox.NamedNode(f"{dist.value}#sha256")
        t += [
            (dist, ox.NamedNode(SPDX + "checksum"), checksum),
            (checksum, RDF_TYPE, ox.NamedNode(SPDX + "Checksum")),
            (
                checksum,
                ox.NamedNode(SPDX + "algorithm"),
                ox.NamedNode(SPDX + "checksumAlgorithm_sha256"),
            ),  # noqa: E501
            (
                checksum,
                ox.NamedNode(SPDX + "checksumValue"),
                ox.Literal(info["sha256"], datatype=ox.NamedNode(XSD + "hexBinary")),
            ),  # noqa: E501
        ]
    return t


def _void(served: Served, base: str) -> list[ox.Triple]:
    (totals,) = select(served.store, "void_totals")
    classes = select(served.store, "void_classes")
    properties = select(served.store, "void_properties")
    t = [
        (DATASET, RDF_TYPE, _n(VOID, "Dataset")),
        (DATASET, _n(VOID, "triples"), totals["triples"]),
        (DATASET, _n(VOID, "distinctSubjects"), totals["subjects"]),
        (DATASET, _n(VOID, "distinctObjects"), totals["objects"]),
        (DATASET, _n(VOID, "classes"), _int(len(classes))),
        (DATASET, _n(VOID, "properties"), _int(len(properties))),
        (DATASET, _n(VOID, "sparqlEndpoint"), ox.NamedNode(base + "sparql")),
        (DATASET, _n(VOID, "uriSpace"), ox.Literal(str(ID))),
        (DATASET, _n(VOID, "feature"), ox.NamedNode(FORMATS + "N-Quads")),
        (DATASET, OWL_VERSION, ox.Literal(served.version)),
        (DATASET, ox.NamedNode(DCT + "license"), LICENSE),
    ]
    t += [
        (DATASET, _n(VOID, "dataDump"), ox.NamedNode(f"{base}dumps/dataset.{rep.suffix}"))
        for rep in DUMP_FILES
    ]
    for row in classes:
        part = ox.NamedNode(f"{DATASET.value}/klasse/{_local(row['class'].value)}")
        t += [(DATASET, _n(VOID, "classPartition"), part), (part, _n(VOID, "class"), row["class"]),
              (part, _n(VOID, "entities"), row["entities"])]  # fmt: skip
    for row in properties:
        part = ox.NamedNode(f"{DATASET.value}/eigenschaft/{_local(row['property'].value)}")
        t += [(DATASET, _n(VOID, "propertyPartition"), part),
              (part, _n(VOID, "property"), row["property"]), (part, _n(VOID, "triples"), row["triples"])]  # fmt: skip # noqa: E501
    return [ox.Triple(*triple) for triple in t]


def _local(iri: str) -> str:
    """A readable, unique slug for a partition IRI: the namespace prefix is kept as a hash."""
    head, _, tail = iri.rpartition("#") if "#" in iri else iri.rpartition("/")
    return f"{tail}-{hashlib.sha256(head.encode()).hexdigest()[:6]}"
