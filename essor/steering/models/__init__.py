"""Programme steering: the roadmap (axes → action sheets → actions → steps), conventions with their committees,
indicators and their frozen snapshots, who may read the dashboard, and the audit trail."""

from essor.steering.models.audit import AuditAction, AuditEntry
from essor.steering.models.conventions import (
    Attendance,
    Committee,
    CommitteeKind,
    Convention,
    ConventionAmount,
    Decision,
    Deliverable,
    FollowUp,
    FollowUpStatus,
)
from essor.steering.models.indicators import ConventionIndicator, IndicatorSnapshot, SnapshotValue
from essor.steering.models.readers import ReaderRole, SteeringReader
from essor.steering.models.roadmap import (
    Action,
    ActionSheet,
    Axis,
    Participant,
    ParticipantRole,
    Status,
    Step,
    StepKind,
)

__all__ = [
    "Action",
    "ActionSheet",
    "Attendance",
    "AuditAction",
    "AuditEntry",
    "Axis",
    "Committee",
    "CommitteeKind",
    "Convention",
    "ConventionAmount",
    "ConventionIndicator",
    "Decision",
    "Deliverable",
    "FollowUp",
    "FollowUpStatus",
    "IndicatorSnapshot",
    "Participant",
    "ParticipantRole",
    "ReaderRole",
    "SnapshotValue",
    "Status",
    "SteeringReader",
    "Step",
    "StepKind",
]
