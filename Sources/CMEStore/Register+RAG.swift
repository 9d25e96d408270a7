import CMEDomain
import Foundation
import GRDB

extension Register {
  /// The settings in force: the defaults, overridden by stored values.
  static func settings(in db: Database) throws -> LocalSettings {
    var s = LocalSettings()
    s.apply(try SettingTable.all(in: db))
    return s
  }

  /// The settings a user may change, with their current values and meanings.
  public func settings(by session: Session) throws -> [(key: String, value: String, help: String)] {
    let s = try read(as: session, needs: .readSettings) { db in try Register.settings(in: db) }
    return LocalSettings.definitions.map { ($0.key, String($0.get(s)), $0.help) }
  }

  /// Changes a setting. Managers only.
  public func setSetting(_ key: String, to value: String, by session: Session) throws {
    let n = try LocalSettings.validate(key: key, value: value)
    try write(as: session, needs: .runRegisterCycle) { db, audit in
      let before = try SettingTable.all(in: db)[key]
      try SettingTable.set(key, to: String(n), auditSeq: audit.nextSequence, in: db)
      try audit.append(
        action: .settingSet, entity: "setting", entityId: key, before: before.map { ["value": $0] },
        after: ["value": String(n)])
    }
  }

  static func insertRating(
    caseId: Int64, rating: RAG, suggestion: RAGSuggestion, rationale: String, in db: Database, audit: AuditWriter
  ) throws {
    try RAGRatingTable.insert(
      caseId: caseId, rating: rating, suggested: suggestion.rating, reasons: suggestion.reasons.map(\.description),
      rationale: rationale, byUserId: audit.actor.id, at: audit.at, auditSeq: audit.nextSequence, in: db)
  }

  static func ragHistory(caseId: Int64, in db: Database) throws -> [RAGChange] {
    try Row.fetchAll(
      db,
      sql:
        "SELECT r.rating, r.suggested, r.rationale, u.name, r.at FROM ragRating r JOIN user u ON u.id = r.byUserId WHERE r.caseId = ? ORDER BY r.id",
      arguments: [caseId]
    ).map {
      RAGChange(
        rating: try RAG.stored($0["rating"]), suggested: try RAG.stored($0["suggested"]),
        rationale: $0["rationale"], by: $0["name"], at: $0["at"])
    }
  }

  static func suggestion(for c: CMECase, in db: Database, today: LocalDate) throws -> RAGSuggestion {
    try assess(c, child: try Register.child(id: c.childId, in: db), in: db, today: today).suggestion
  }

  /// The suggested rating for a case today, with its reasons.
  public func suggestRating(_ reference: CaseReference, by session: Session, today: LocalDate) throws -> (
    CMECase, RAGSuggestion
  ) {
    return try read(as: session, needs: .readRegister) { db in
      let c = try Register.fetchCase(reference, in: db)
      return (c, try Register.suggestion(for: c, in: db, today: today))
    }
  }

  /// Sets a case's rating. A rating that differs from the suggestion needs a reason.
  public func setRating(
    _ reference: CaseReference, to rating: RAG, reason: String?, ifVersion: Int64? = nil, by session: Session,
    today: LocalDate
  ) throws -> (before: RAG?, suggestion: RAGSuggestion) {
    try write(as: session, needs: .setRAG) { db, audit in
      let c = try Register.fetchCase(reference, in: db)
      try Register.requireVersion(ifVersion, of: "cmeCase", id: c.id!, record: c.reference, in: db)
      guard c.status == .open else {
        throw StoreError.conflict("\(c.reference) is closed; reopen it before rating it")
      }
      let suggestion = try Register.suggestion(for: c, in: db, today: today)
      let (rationale, _) = try RAGRules.rationale(setting: rating, suggestion: suggestion, reason: reason)
      try Register.insertRating(
        caseId: c.id!, rating: rating, suggestion: suggestion, rationale: rationale, in: db, audit: audit)
      try CaseTable.setRAG(rating, caseId: c.id!, auditSeq: audit.nextSequence, in: db)
      try audit.append(
        action: .ragSet, entity: "case", entityId: c.reference, childId: c.childId, caseId: c.id, reason: rationale,
        before: c.rag.map { ["rag": $0.rawValue] },
        after: ["rag": rating.rawValue, "suggested": suggestion.rating.rawValue])
      return (c.rag, suggestion)
    }
  }
}
