import CMEAudit
import CMEDomain
import Foundation
import GRDB

/// A request to remove an entry's payload, awaiting a second manager.
public struct RedactionRequest: Sendable, Codable, Equatable {
  /// The request's own entry.
  public var request: Int64
  /// The entry whose payload would be removed.
  public var entry: Int64
  public var reason: String
  public var requestedBy: String
}

extension Register {
  /// Entries whose payload may never be removed: the register's own
  /// history (its making, its keys, its redactions), which `verify` and the
  /// redaction rule stand on.
  static let unredactable: Set<String> = [
    AuditAction.registerInit.rawValue, AuditAction.auditKey.rawValue, AuditAction.auditWitness.rawValue,
    AuditAction.auditRedactRequest.rawValue, AuditAction.auditRedact.rawValue, AuditAction.registerRestore.rawValue,
  ]

  /// Asks for an entry's payload (the record before and after) to be
  /// removed, for example data recorded in error about the wrong child. A
  /// second manager must approve it; until then nothing is removed.
  public func requestRedaction(of entry: Int64, reason: String, by session: Session) throws -> RedactionRequest {
    let reason = try requireText(reason, field: "reason", what: "the reason")
    return try write(as: session, needs: .redactAuditLog) { db, audit in
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT action, redacted, before, after FROM auditEntry WHERE seq = ?", arguments: [entry])
      else {
        throw StoreError.notFound(what: "audit entry", key: String(entry))
      }
      guard !Register.unredactable.contains(row["action"] as String) else {
        throw StoreError.conflict(
          "entry \(entry) (\(row["action"] as String)) is part of the log's own history and cannot be redacted")
      }
      guard (row["redacted"] as Bool) == false, (row["before"] as String?) != nil || (row["after"] as String?) != nil
      else {
        throw StoreError.conflict("entry \(entry) has no payload to redact")
      }
      let seq = try audit.append(
        action: .auditRedactRequest, entity: "auditEntry", entityId: String(entry), reason: reason,
        after: ["entry": String(entry)])
      return RedactionRequest(request: seq, entry: entry, reason: reason, requestedBy: audit.actor.name)
    }
  }

  /// A second manager approves a redaction request: the entry's payload is
  /// removed (its digest stays, so the chain still verifies) and an
  /// `audit.redact` entry records what was removed, why, and who asked and
  /// approved. The one who asked cannot approve.
  public func approveRedaction(_ request: Int64, by session: Session) throws -> RedactionRequest {
    try write(as: session, needs: .redactAuditLog) { db, audit in
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT actor, entityId, reason FROM auditEntry WHERE seq = ? AND action = ?",
          arguments: [request, AuditAction.auditRedactRequest.rawValue]),
        let entry = Int64(row["entityId"] as String)
      else {
        throw StoreError.notFound(what: "redaction request", key: String(request))
      }
      let asked = RedactionRequest(
        request: request, entry: entry, reason: row["reason"] ?? "", requestedBy: row["actor"])
      guard asked.requestedBy != audit.actor.name else {
        throw StoreError.conflict(
          "\(audit.actor.name) asked for this redaction and cannot also approve it; another manager must")
      }
      if try Register.redactionsCovering(in: db).contains(entry) {
        throw StoreError.conflict("entry \(entry) has already been redacted")
      }
      let target = try Row.fetchOne(
        db, sql: "SELECT action, entity, entityId FROM auditEntry WHERE seq = ?", arguments: [entry])
      try db.execute(
        sql: Register.redactEntrySQL, arguments: [entry])
      try audit.append(
        action: .auditRedact, entity: "auditEntry", entityId: String(entry), reason: asked.reason,
        after: [
          "entry": String(entry), "request": String(request), "requestedBy": asked.requestedBy,
          "removed":
            "before and after of \(target?["action"] as String? ?? "") \(target?["entity"] as String? ?? "") \(target?["entityId"] as String? ?? "")",
        ])
      return asked
    }
  }

  /// Removes an entry's payload: `before`, `after`, and for an entry that
  /// records rows its reason too (part of its payload since then).
  static let redactEntrySQL = """
    UPDATE auditEntry SET before = NULL, after = NULL,
      reason = CASE WHEN rowsDigest IS NULL THEN reason END, redacted = 1 WHERE seq = ?
    """

  /// The entries whose payloads an approved redaction (`audit.redact`) or a
  /// disposal says it removed.
  static func redactionsCovering(in db: Database) throws -> Set<Int64> {
    var covered = Set<Int64>()
    for action in Register.redactingActions {
      for json in try String.fetchAll(
        db, sql: "SELECT after FROM auditEntry WHERE action = ? AND after IS NOT NULL", arguments: [action.rawValue])
      {
        covered.formUnion(Register.entriesRedacted(by: action, after: json))
      }
    }
    return covered
  }

  /// The entries that remove payloads.
  static let redactingActions: [AuditAction] = [.auditRedact, .retentionDispose]

  /// The entries whose payloads one entry of `action` (one of
  /// ``redactingActions``) says it removed, read from its `after`.
  static func entriesRedacted(by action: AuditAction, after json: String) -> [Int64] {
    guard let object = try? JSONDecoder().decode([String: String].self, from: Data(json.utf8)) else { return [] }
    switch action {
    case .auditRedact:
      // An approved redaction names its entry.
      return object["entry"].flatMap { Int64($0) }.map { [$0] } ?? []
    case .retentionDispose:
      // A disposal names the entries whose payloads it removed.
      return object["redactedEntries"].map { $0.split(separator: " ").compactMap { Int64($0) } } ?? []
    default:
      return []
    }
  }
}
