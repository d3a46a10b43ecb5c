"""Threat model versions: upload (deduplicated by content), list, show, compare.

Never imports FastAPI. A version keeps the model's YAML and the threats as analysed where the model
lives (with its custom rules, sidecar statuses and linked scan findings); a bare YAML upload is
analysed here with the built-in rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shieldwall.core.severity import Severity
from shieldwall.hub.audit.service import EventSpec, record
from shieldwall.hub.db.models import Project, ThreatModelRecord, ThreatModelVersion, ThreatRecord
from shieldwall.hub.enums import Permission
from shieldwall.hub.errors import ConflictError, InvalidRequestError, NotFoundError
from shieldwall.hub.pagination import Page, paginate
from shieldwall.hub.permissions import Principal
from shieldwall.hub.projects.service import project_by_name
from shieldwall.threatmodel.diff import ModelDiff, diff_models
from shieldwall.threatmodel.errors import ModelError
from shieldwall.threatmodel.exchange import ModelDocument, to_document
from shieldwall.threatmodel.load import parse_model
from shieldwall.threatmodel.model import ThreatModel

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,149}$")
DEFAULT_PATH = "threatmodel.yaml"


@dataclass(frozen=True, slots=True)
class UploadOutcome:
    """The model and version an upload landed in; ``duplicate`` when it was there already."""

    model: ThreatModelRecord
    version: ThreatModelVersion
    duplicate: bool


def read_document(data: bytes) -> ModelDocument:
    """The upload document: the JSON the CLI sends, or a bare YAML model analysed here."""
    stripped = data.lstrip()
    if not stripped:
        raise InvalidRequestError("the uploaded model is empty")
    if stripped.startswith(b"{"):
        try:
            return ModelDocument.model_validate_json(data)
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in first["loc"])
            raise InvalidRequestError(
                f"not a shieldwall threat model document: {where}: {first['msg']}"
            ) from exc
    return _analyse_yaml(data)


def _analyse_yaml(data: bytes) -> ModelDocument:
    from shieldwall.threatmodel.engine import analyse
    from shieldwall.threatmodel.rules import builtin_rules
    from shieldwall.threatmodel.yamlsource import decode

    try:
        text = decode(data, DEFAULT_PATH)
        model = parse_model(text, DEFAULT_PATH)
    except ModelError as exc:
        raise InvalidRequestError(str(exc)) from exc
    warnings = [f"{DEFAULT_PATH}: custom rule file {r} is not in the hub" for r in model.rule_files]
    document = to_document(analyse(model, builtin_rules()), text)
    return document.model_copy(update={"warnings": [*document.warnings, *warnings]})


def parse_source(source: str, path: str) -> ThreatModel:
    """The model of a stored or uploaded source (errors name the line)."""
    try:
        return parse_model(source, path or DEFAULT_PATH)
    except ModelError as exc:
        raise InvalidRequestError(str(exc)) from exc


def upload_version(
    session: Session,
    principal: Principal,
    *,
    project: str,
    data: bytes,
    name: str | None,
    commit: str | None,
    branch: str | None,
) -> UploadOutcome:
    """Store an uploaded model as a new version of the named model (or find its twin)."""
    target = project_by_name(session, principal, project, Permission.UPLOAD)
    document = read_document(data)
    model = parse_source(document.source, document.path)
    _check_threats(document, model)
    chosen = name or document.name or model.name or "threatmodel"
    if not _NAME.match(chosen):
        raise InvalidRequestError("model names use letters, digits, '.', '_' and '-' (max 150)")
    record_ = _model_for_update(session, target, chosen)
    digest = document.content_hash()
    twin = session.scalar(
        select(ThreatModelVersion).where(
            ThreatModelVersion.model_id == record_.id, ThreatModelVersion.content_hash == digest
        )
    )
    if twin is not None:
        return UploadOutcome(record_, twin, duplicate=True)
    version = _store(session, record_, document, model, digest, principal.username, commit, branch)
    record(
        session,
        EventSpec(
            actor=principal.username,
            action="threatmodel.version_uploaded",
            object_type="threat_model_version",
            object_id=str(version.id),
            project_id=target.id,
            details={
                "model": chosen,
                "version": version.number,
                "threats": version.threats,
                "blocking": version.blocking,
                "commit": version.commit,
            },
        ),
    )
    return UploadOutcome(record_, version, duplicate=False)


def _check_threats(document: ModelDocument, model: ThreatModel) -> None:
    """Refuse a document whose threats do not fit its model, before anything is written."""
    known = model.element_ids()
    seen: set[str] = set()
    for threat in document.threats:
        if threat.element not in known:
            raise InvalidRequestError(f"threat {threat.id} names unknown element {threat.element}")
        if threat.id in seen:
            raise InvalidRequestError(f"threat {threat.id} is listed twice")
        seen.add(threat.id)


def _model_for_update(session: Session, project: Project, name: str) -> ThreatModelRecord:
    query = select(ThreatModelRecord).where(
        ThreatModelRecord.project_id == project.id, ThreatModelRecord.name == name
    )
    found = session.scalar(query.with_for_update())
    if found is not None:
        return found
    created = ThreatModelRecord(project_id=project.id, name=name, latest_version=0)
    session.add(created)
    try:
        session.flush()
    except IntegrityError as exc:
        # Another upload created the model at the same moment; the client may simply retry.
        raise ConflictError(f"model {name!r} was created concurrently; retry the upload") from exc
    return created


def _store(
    session: Session,
    model_row: ThreatModelRecord,
    document: ModelDocument,
    model: ThreatModel,
    digest: str,
    author: str,
    commit: str | None,
    branch: str | None,
) -> ThreatModelVersion:
    number = model_row.latest_version + 1
    version = ThreatModelVersion(
        model_id=model_row.id,
        number=number,
        content_hash=digest,
        path=document.path[:1000],
        title=model.name,
        source=document.source,
        commit=(commit or None) and commit[:64],
        branch=(branch or None) and branch[:255],
        author=author,
        elements=len(model.element_ids()),
        threats=len(document.threats),
        blocking=sum(t.blocking for t in document.threats),
        warnings=list(document.warnings),
    )
    session.add(version)
    session.flush()
    # Guarded by the number it read: a concurrent upload of the same model fails its flush on
    # the (model_id, number) constraint instead of both getting the same number.
    session.execute(
        update(ThreatModelRecord)
        .where(ThreatModelRecord.id == model_row.id)
        .values(latest_version=number)
    )
    rows = [
        {
            "version_id": version.id,
            "threat_id": t.id,
            "rule_id": t.rule,
            "title": t.title,
            "stride": t.stride,
            "element": t.element,
            "element_type": t.element_type,
            "element_name": t.element_name,
            "line": t.line,
            "severity": t.severity,
            "severity_rank": Severity(t.severity).rank,
            "status": t.status,
            "status_note": t.status_note,
            "blocking": t.blocking,
            "cwe": t.cwe,
            "capec": t.capec,
            "evidence": t.evidence,
        }
        for t in document.threats
    ]
    if rows:
        session.execute(insert(ThreatRecord), rows)
    session.refresh(model_row)
    return version


def list_models(session: Session, principal: Principal, project: str) -> list[ThreatModelRecord]:
    """The project's threat models, by name."""
    target = project_by_name(session, principal, project)
    query = select(ThreatModelRecord).where(ThreatModelRecord.project_id == target.id)
    return list(session.scalars(query.order_by(ThreatModelRecord.name)))


def get_model(
    session: Session, principal: Principal, project: str, name: str
) -> tuple[Project, ThreatModelRecord]:
    """One model the caller may read."""
    target = project_by_name(session, principal, project)
    found = session.scalar(
        select(ThreatModelRecord).where(
            ThreatModelRecord.project_id == target.id, ThreatModelRecord.name == name
        )
    )
    if found is None:
        raise NotFoundError("not found")
    return target, found


def list_versions(
    session: Session, model: ThreatModelRecord, page: int, size: int
) -> Page[ThreatModelVersion]:
    """The versions of a model, newest first."""
    query = select(ThreatModelVersion).where(ThreatModelVersion.model_id == model.id)
    return paginate(session, query.order_by(ThreatModelVersion.number.desc()), page, size)


def get_version(session: Session, model: ThreatModelRecord, number: str) -> ThreatModelVersion:
    """Version ``number`` of a model (``latest`` for the newest)."""
    if number == "latest":
        wanted = model.latest_version
    elif number.isdigit():
        wanted = int(number)
    else:
        raise InvalidRequestError("a version is a number or 'latest'")
    found = session.scalar(
        select(ThreatModelVersion).where(
            ThreatModelVersion.model_id == model.id, ThreatModelVersion.number == wanted
        )
    )
    if found is None:
        raise NotFoundError("not found")
    return found


def threats_of(
    session: Session,
    version: ThreatModelVersion,
    *,
    status: str | None = None,
    severity: str | None = None,
) -> list[ThreatRecord]:
    """The threats of a version, most severe first, optionally of one status or severity."""
    query = select(ThreatRecord).where(ThreatRecord.version_id == version.id)
    if status:
        query = query.where(ThreatRecord.status == status)
    if severity:
        query = query.where(ThreatRecord.severity == severity)
    order = (ThreatRecord.severity_rank.desc(), ThreatRecord.threat_id)
    return list(session.scalars(query.order_by(*order)))


@dataclass(frozen=True, slots=True)
class VersionDiff:
    """Two versions compared: the model diff plus threats whose severity moved."""

    base: ThreatModelVersion
    head: ThreatModelVersion
    changes: ModelDiff
    status_changes: tuple[tuple[str, str, str], ...]
    severity_changes: tuple[tuple[str, str, str], ...]


def diff_versions(
    session: Session, model: ThreatModelRecord, base: str | None, head: str | None
) -> VersionDiff:
    """Compare two versions (default: the one before ``head`` with ``head``, the newest)."""
    head_version = get_version(session, model, head or "latest")
    if base is None:
        if head_version.number <= 1:
            raise InvalidRequestError("the model has a single version: give ?base=")
        base = str(head_version.number - 1)
    base_version = get_version(session, model, base)
    before = threats_of(session, base_version)
    after = threats_of(session, head_version)
    changes = diff_models(
        parse_source(base_version.source, base_version.path),
        parse_source(head_version.source, head_version.path),
        {t.threat_id: t.status for t in before},
        {t.threat_id: t.status for t in after},
    )
    return VersionDiff(
        base_version,
        head_version,
        changes,
        _moved(before, after, "status"),
        _moved(before, after, "severity"),
    )


def _moved(
    before: list[ThreatRecord], after: list[ThreatRecord], field: str
) -> tuple[tuple[str, str, str], ...]:
    old = {t.threat_id: str(getattr(t, field)) for t in before}
    return tuple(
        sorted(
            (t.threat_id, old[t.threat_id], str(getattr(t, field)))
            for t in after
            if t.threat_id in old and old[t.threat_id] != str(getattr(t, field))
        )
    )


def threats_of_finding(
    session: Session, principal: Principal, finding_id: int
) -> list[tuple[ThreatModelRecord, ThreatModelVersion, ThreatRecord]]:
    """The threats a finding the caller may read evidences (newest version of each model)."""
    from shieldwall.hub.db.models import Finding
    from shieldwall.hub.permissions import require
    from shieldwall.hub.threatmodels.linking import threats_for_finding

    finding = session.get(Finding, finding_id)
    if finding is None:
        raise NotFoundError("not found")
    require(session, principal, finding.project_id, Permission.READ)
    return threats_for_finding(session, finding, parse_source)
