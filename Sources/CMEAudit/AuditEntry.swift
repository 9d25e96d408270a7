/// One entry of the audit log: who did what to which record, when, with the
/// values before and after and the reason they gave.
///
/// An entry is written in the same SQLite transaction as the change it
/// describes, so the two commit together or not at all.
public struct AuditEntry: Sendable, Equatable {
  /// 1, 2, 3, … with no gaps.
  public var sequence: Int64
  /// UTC time, ISO 8601 with milliseconds: `2026-11-22T09:14:03.250Z`.
  public var at: String
  /// The user who acted.
  public var actor: String
  /// What was done, as `entity.verb`: `case.open`, `rag.set`, `child.view`.
  public var action: String
  /// The kind of record: `child`, `case`, `user`, `registerCycle`, …
  public var entity: String
  /// The record's id (or reference) as text.
  public var entityId: String
  /// The child the entry is about, if any: for subject-access requests and
  /// "who looked at this child".
  public var childId: Int64?
  /// The case the entry is about, if any.
  public var caseId: Int64?
  /// The reason the user gave, if any.
  public var reason: String?
  /// JSON of the record before the change (nil for a creation or a view).
  public var before: String?
  /// JSON of the record after the change (nil for a view).
  public var after: String?
  /// How the actor reached the register: `web session 3f9a…` or
  /// `command line (jsmith)`. Nil only for entries written before the log
  /// recorded it.
  public var channel: String?
  /// The digest of the records this entry made of the rows it changed
  /// (``RowRecordsDigest``). Nil only for entries written before the log
  /// recorded rows.
  public var rowsDigest: Digest?

  public init(
    sequence: Int64, at: String, actor: String, action: String, entity: String,
    entityId: String, childId: Int64? = nil, caseId: Int64? = nil, reason: String? = nil,
    before: String? = nil, after: String? = nil, channel: String? = nil,
    rowsDigest: Digest? = nil
  ) {
    self.sequence = sequence
    self.at = at
    self.actor = actor
    self.action = action
    self.entity = entity
    self.entityId = entityId
    self.childId = childId
    self.caseId = caseId
    self.reason = reason
    self.before = before
    self.after = after
    self.channel = channel
    self.rowsDigest = rowsDigest
  }
}

/// An entry as it sits in the log, with its chain fields.
public struct SealedEntry: Sendable, Equatable {
  public var entry: AuditEntry
  /// SHA-256 of the payload (`before`, `after`); kept apart so that a lawful
  /// redaction can remove the payload and the chain still verifies.
  public var payloadDigest: Digest
  /// SHA-256 over the previous entry's hash and this entry's content digest.
  public var hash: Digest
  /// True when the payload has been redacted (it is then nil, and
  /// ``payloadDigest`` stands for it).
  public var redacted: Bool

  public init(entry: AuditEntry, payloadDigest: Digest, hash: Digest, redacted: Bool = false) {
    self.entry = entry
    self.payloadDigest = payloadDigest
    self.hash = hash
    self.redacted = redacted
  }
}
