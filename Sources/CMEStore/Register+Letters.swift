import CMEDomain
import Foundation
import GRDB

/// A letter or notice as issued and kept with its case.
public struct IssuedLetter: Sendable, Codable, Hashable {
  public var id: Int64
  public var caseReference: String
  public var kind: LetterKind
  public var addressee: String
  public var issuedOn: LocalDate
  public var respondBy: LocalDate?
  /// The letter as sent (HTML).
  public var body: String
  public var by: String
}

/// What a letter asks for beyond its case.
public struct LetterRequest: Sendable {
  public var kind: LetterKind
  /// Whom it goes to (default: the parents with parental responsibility;
  /// the last school; the virtual school head; the other authority's CME officer).
  public var addressee: String?
  public var respondBy: LocalDate?
  /// For a notification: the authority it goes to (DfE LA number).
  public var toAuthority: String?
  /// For a notice of intention: the school the authority proposes.
  public var proposedSchool: String?

  public init(
    kind: LetterKind, addressee: String? = nil, respondBy: LocalDate? = nil, toAuthority: String? = nil,
    proposedSchool: String? = nil
  ) {
    self.kind = kind
    self.addressee = addressee
    self.respondBy = respondBy
    self.toAuthority = toAuthority
    self.proposedSchool = proposedSchool
  }
}

extension Register {
  /// Issues a letter on a case: its context gathered, rendered by `render`
  /// from the authority's template (nil: the shipped one), kept with the
  /// case as sent, and recorded on its timeline, in one transaction. A
  /// notification to another authority is recorded as sent to it.
  public func issueLetter(
    _ reference: CaseReference, _ request: LetterRequest, by session: Session, today: LocalDate,
    render: (_ template: String?, _ context: LetterContext) throws -> String
  ) throws -> IssuedLetter {
    try TextRules.check(request.addressee, field: "to", kind: .line)
    try TextRules.check(request.proposedSchool, field: "proposedSchool", kind: .line)
    if let to = request.addressee, to.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
      throw InvalidInput(
        field: "to", problem: "the addressee is empty", fix: "Name whom the letter goes to, or leave it to the default")
    }
    switch (request.kind, optionalText(request.proposedSchool)) {
    case (.s437Intention, nil):
      throw InvalidInput(
        field: "proposedSchool",
        problem: "a notice of intention to serve a school attendance order names the school",
        fix: "Give the school the authority proposes to name")
    case (.s437Intention, _), (_, nil): break
    case (_, _?):
      throw InvalidInput(
        field: "proposedSchool", problem: "only a notice of intention (s437-intention) names a proposed school",
        fix: "Leave the proposed school out")
    }
    let respondBy = try LetterRules.validateRespondBy(request.respondBy, kind: request.kind, issuedOn: today)
    if request.kind == .laNotification, request.toAuthority == nil {
      throw InvalidInput(
        field: "toAuthority", problem: "a notification needs the authority it goes to",
        fix: "Give the authority's 3-digit DfE LA number")
    }
    return try write(as: session, needs: .writeCases) { db, audit in
      let c = try Register.fetchCase(reference, in: db)
      if request.kind == .s437Intention {
        // The notice of intention follows a s437(1) notice whose answer date has passed unsatisfied.
        let answerBy = try String.fetchOne(
          db,
          sql: "SELECT max(respondBy) FROM caseLetter WHERE caseId = ? AND kind = 's437-notice'",
          arguments: [c.id]
        ).flatMap(LocalDate.init(iso:))
        guard let answerBy else {
          throw InvalidInput(
            field: "kind", problem: "no notice under section 437(1) has been issued on \(c.reference)",
            fix: "Issue the s437-notice first; the notice of intention follows if it is not answered")
        }
        guard today > answerBy else {
          throw InvalidInput(
            field: "kind", problem: "the section 437(1) notice gives the parents until \(answerBy) to answer",
            fix: "Issue the notice of intention after \(answerBy), if the parents have not satisfied the authority")
        }
      }
      let child = try Register.needToKnow(audit.actor, of: try Register.child(id: c.childId, in: db), in: db)
      var context = try Register.letterContext(c, child: child, request: request, in: db, today: today)
      context.respondBy = respondBy
      let template = try String.fetchOne(
        db, sql: "SELECT body FROM letterTemplate WHERE kind = ?", arguments: [request.kind.rawValue])
      let body = try render(template, context)
      let seq = audit.nextSequence
      try db.execute(
        sql: """
          INSERT INTO caseLetter (caseId, kind, addressee, issuedOn, respondBy, body, byUserId, at, auditSeq)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          c.id, request.kind.rawValue, context.addressee, today, respondBy, body, audit.actor.id, audit.at, seq,
        ])
      let letter = IssuedLetter(
        id: db.lastInsertedRowID, caseReference: c.reference, kind: request.kind, addressee: context.addressee,
        issuedOn: today, respondBy: respondBy, body: body, by: audit.actor.name)
      if request.kind == .laNotification, let la = request.toAuthority {
        try db.execute(
          sql: """
            INSERT INTO laNotification (caseId, direction, laCode, onDate, letterId, byUserId, at, auditSeq)
            VALUES (?, 'sent', ?, ?, ?, ?, ?, ?)
            """, arguments: [c.id, la, today, letter.id, audit.actor.id, audit.at, seq])
      }
      try audit.append(
        action: .letterIssue, entity: "letter", entityId: String(letter.id), childId: c.childId, caseId: c.id,
        after: [
          "kind": request.kind.rawValue, "addressee": context.addressee, "issuedOn": today.description,
          "respondBy": respondBy?.description ?? "", "toAuthority": request.toAuthority ?? "",
        ])
      return letter
    }
  }

  /// What a letter about `c` may say.
  static func letterContext(
    _ c: CMECase, child: Child, request: LetterRequest, in db: Database, today: LocalDate
  ) throws -> LetterContext {
    let parents = child.carers.filter(\.parentalResponsibility).map(\.name)
    let defaultAddressee: String =
      switch request.kind {
      case .parentEnquiry, .s437Notice, .s437Intention:
        parents.isEmpty
          ? "The parent or carer of \(child.legalForename) \(child.legalSurname)"
          : parents.joined(
            separator: " and ")
      case .schoolEnquiry: child.lastSchool.map { "The head teacher, \($0)" } ?? "The head teacher"
      case .virtualSchool: "The virtual school head\(child.careAuthority.map { ", local authority \($0)" } ?? "")"
      case .laNotification: "The children missing education officer, local authority \(request.toAuthority ?? "")"
      }
    let lead = try String.fetchOne(
      db, sql: "SELECT u.name FROM cmeCase c JOIN user u ON u.id = c.leadCaseworkerId WHERE c.id = ?",
      arguments: [c.id])
    var context = LetterContext(
      authority: try MetaTable.value("authority", in: db) ?? "The local authority", date: today,
      addressee: request.addressee ?? defaultAddressee, caseReference: c.reference,
      childName: "\(child.legalForename) \(child.legalSurname)", dateOfBirth: child.dateOfBirth,
      reason: c.reason.label, caseworker: lead ?? "The children missing education team")
    context.upn = child.upn?.value
    context.address = child.currentAddress.map { [$0.text, $0.postcode].compactMap { $0 }.joined(separator: ", ") }
    context.parents = child.carers.map {
      "\($0.name), \($0.relationship)\($0.parentalResponsibility ? " (parental responsibility)" : "")"
    }
    context.lastSchool = child.lastSchool?.description
    context.enquiries = try Register.checklist(for: c, in: db).lines.filter { $0.state == "done" }.map {
      "\($0.label): \($0.detail ?? "")"
    }
    context.toAuthority = request.toAuthority
    context.proposedSchool = request.proposedSchool
    return context
  }

  /// Records a CME notification received from another authority about the
  /// child of `reference`.
  public func recordNotificationReceived(
    _ reference: CaseReference, fromLA la: String, on day: LocalDate, note: String?, by session: Session,
    today: LocalDate
  ) throws {
    try EventDate.notAfterToday(day, field: "received", today: today, fix: "Give the day it arrived")
    let note = try optionalText(note, field: "note", kind: .note)
    try write(as: session, needs: .writeCases) { db, audit in
      let c = try Register.fetchCase(reference, in: db)
      if try Bool.fetchOne(
        db,
        sql: "SELECT 1 FROM laNotification WHERE caseId = ? AND direction = 'received' AND laCode = ? AND onDate = ?",
        arguments: [c.id, la, day]) == true
      {
        throw StoreError.conflict(
          "\(c.reference) already records a notification from local authority \(la) received \(day)")
      }
      try db.execute(
        sql: """
          INSERT INTO laNotification (caseId, direction, laCode, onDate, note, byUserId, at, auditSeq)
          VALUES (?, 'received', ?, ?, ?, ?, ?, ?)
          """, arguments: [c.id, la, day, note, audit.actor.id, audit.at, audit.nextSequence])
      try audit.append(
        action: .notificationReceived, entity: "case", entityId: c.reference, childId: c.childId, caseId: c.id,
        after: ["fromLA": la, "receivedOn": day.description, "note": note ?? ""])
    }
  }

  /// The letters issued on a case, oldest first.
  /// Reading them is logged, as a view of the case (they name the child and the parents).
  public func letters(_ reference: CaseReference, by session: Session) throws -> [IssuedLetter] {
    try write(as: session, needs: .readRegister, entriesOnly: true) { db, audit in
      let c = try Register.fetchCase(reference, in: db)
      _ = try Register.needToKnow(audit.actor, of: try Register.child(id: c.childId, in: db), in: db)
      try audit.append(
        action: .caseView, entity: "case", entityId: c.reference, childId: c.childId, caseId: c.id,
        reason: "letters read")
      return try Row.fetchAll(
        db,
        sql: """
          SELECT l.*, u.name FROM caseLetter l JOIN user u ON u.id = l.byUserId WHERE l.caseId = ? ORDER BY l.id
          """, arguments: [c.id]
      ).map {
        IssuedLetter(
          id: $0["id"], caseReference: c.reference, kind: try LetterKind.stored($0["kind"]),
          addressee: $0["addressee"], issuedOn: try Register.storedDate($0["issuedOn"]),
          respondBy: try Register.date($0["respondBy"]), body: $0["body"], by: $0["name"])
      }
    }
  }

  /// The authority's own template of `kind`, or nil when it uses the shipped one.
  public func letterTemplate(_ kind: LetterKind, by session: Session) throws -> String? {
    try read(as: session, needs: .readSettings) { db in
      try String.fetchOne(db, sql: "SELECT body FROM letterTemplate WHERE kind = ?", arguments: [kind.rawValue])
    }
  }

  /// Sets (or, with nil, removes) the authority's own template of `kind`
  /// (managers); `validate` checks it first. The one it replaces is kept in the entry.
  public func setLetterTemplate(
    _ kind: LetterKind, to body: String?, by session: Session, validate: (String) throws -> Void
  ) throws {
    if let body { try validate(body) }
    try write(as: session, needs: .runRegisterCycle) { db, audit in
      let before = try String.fetchOne(
        db, sql: "SELECT body FROM letterTemplate WHERE kind = ?", arguments: [kind.rawValue])
      if let body {
        try db.execute(
          sql: """
            INSERT INTO letterTemplate (kind, body, auditSeq) VALUES (?, ?, ?)
            ON CONFLICT(kind) DO UPDATE SET body = excluded.body, auditSeq = excluded.auditSeq
            """, arguments: [kind.rawValue, body, audit.nextSequence])
      } else {
        guard before != nil else {
          throw InvalidInput(
            field: "KIND", problem: "\(kind.rawValue) already uses the shipped wording", fix: "Nothing to reset")
        }
        try db.execute(sql: "DELETE FROM letterTemplate WHERE kind = ?", arguments: [kind.rawValue])
      }
      try audit.append(
        action: .letterTemplateSet, entity: "letterTemplate", entityId: kind.rawValue,
        before: before.map { ["body": $0] }, after: body.map { ["body": $0] })
    }
  }
}
