import CMEAudit
import CMEDomain
import Foundation
import GRDB

extension Register {
  /// Imports a school new-registration return: where a child on the
  /// register with an open case has started at a school, the case is
  /// proposed for closure as "on roll", with the school and start date as
  /// its evidence; the caseworker confirms with `cme case close`. With
  /// `dryRun` nothing is kept.
  public func importNewPupils(
    csv data: [UInt8], file: String, dryRun: Bool = false, by session: Session, today: LocalDate
  ) throws -> ImportSummary {
    progress.report("Checking \(file)")
    let rows = try NewPupilFile.read(csv: data, file: file, today: today)
    return try runImport(
      .newPupils, file: file, digest: Digest.sha256(data).hex, rows: rows.count, dryRun: dryRun, by: session,
      today: today
    ) { run in
      for r in rows {
        let rowDigest = Digest.sha256(Array(r.canonical.utf8)).hex
        if try run.importedBefore(rowDigest, line: r.line) { continue }
        var outcome = ImportOutcome.notOnRegister
        var childId: Int64?
        var linked: ImportedCase?
        switch try run.match(
          line: r.line, upn: r.upn, forename: r.forename, surname: r.surname, dateOfBirth: r.dateOfBirth)
        {
        case .ambiguous: continue
        case .noChild: break
        case .child(let id):
          childId = id
          if let open = try run.openCase(of: id) {
            linked = open
            outcome = .closureProposed
            try run.db.cachedStatement(
              sql:
                "INSERT INTO closureProposal (caseId, outcome, school, startDate, source, at, auditSeq) VALUES (?, 'on-roll-la-school', ?, ?, ?, ?, ?)"
            )
            .execute(arguments: [
              open.id, r.school.storageKey, r.startDate.description, run.place(r.line), run.audit.at,
              run.audit.nextSequence,
            ])
          } else {
            outcome = .noOpenCase
          }
        }
        try run.record(
          rowDigest, line: r.line, outcome: outcome, child: childId, case: linked,
          flags: [r.lateness(receivedOn: today)].compactMap { $0 }, action: .intakeNewPupil,
          details: ["school": r.school.storageKey, "startDate": r.startDate.description])
      }
    }
  }

  /// Imports a school deletion-return file.
  ///
  /// The whole file is checked first (every problem listed, nothing
  /// written). Each row is matched to a child (UPN first, then names and
  /// date of birth) or creates one; its ground decides whether a case opens;
  /// each is checked for signs of off-rolling. Rows already imported, from
  /// this file or another, create nothing new. One transaction; an audit
  /// entry per row. With `dryRun` nothing is kept.
  public func importDeletionReturns(
    csv data: [UInt8], file: String, dryRun: Bool = false, by session: Session, today: LocalDate
  ) throws -> ImportSummary {
    // Two passes over the file, so that no more than one row is held at a
    // time: the first checks every row (nothing is written if one is wrong),
    // the second reads each again and writes it.
    progress.report("Checking \(file)")
    let count = try DeletionReturnFile.check(csv: data, file: file, today: today)
    return try runImport(
      .deletionReturns, file: file, digest: Digest.sha256(data).hex, rows: count, dryRun: dryRun, by: session,
      today: today
    ) { run in
      let groundISchoolDays = run.settings.clocks.groundISchoolDays
      try DeletionReturnFile.forEach(csv: data, file: file, today: today) { r in
        let rowDigest = Digest.sha256(Array(r.canonical.utf8)).hex
        if try run.importedBefore(rowDigest, line: r.line) { return }
        let childId: Int64
        var child: Child?
        switch try run.match(
          line: r.line, upn: r.upn, forename: r.forename, surname: r.surname, dateOfBirth: r.dateOfBirth)
        {
        case .ambiguous: return
        case .child(let id): childId = id
        case .noChild:
          let c = r.child
          child = c
          childId = try run.create(c)
        }
        var flags = offRollingFlags(r, calendar: run.calendar, groundISchoolDays: groundISchoolDays)
        var outcome: ImportOutcome
        var linked: ImportedCase?
        var details = [
          "ground": r.ground.description, "school": r.school.storageKey, "deletionDate": r.deletionDate.description,
        ]
        let schoolAge = CompulsorySchoolAge(dateOfBirth: r.dateOfBirth)
        switch GroundAction.decide(r) {
        case .logOnly: outcome = .logged
        case .eheTeam: outcome = .eheTeam
        case .openCase where !schoolAge.contains(r.deletionDate):
          // CME is for children of compulsory school age.
          outcome = .logged
          flags.append(
            "aged \(r.dateOfBirth.age(on: r.deletionDate)) on the deletion date, outside compulsory school age (\(schoolAge)): no CME case opened"
          )
        case .openCase(let reason):
          (outcome, linked) = try run.openCase(
            for: childId, child: child, reason: reason, source: .schoolDeletionReturn,
            openedOn: Swift.min(r.deletionDate, today), ground: r.ground, deletionDate: r.deletionDate,
            lastAttended: r.lastAttended, note: "deletion return \(run.place(r.line))")
          if outcome == .openCaseExists, let open = linked {
            let (filled, flag) = try run.fillDeletion(
              open, ground: r.ground, on: r.deletionDate, lastAttended: r.lastAttended)
            if filled { details["filledIn"] = "deletion ground and date recorded on \(open.reference)" }
            if let flag { flags.append(flag) }
          }
        }
        try run.record(
          rowDigest, line: r.line, outcome: outcome, child: childId, case: linked, flags: flags,
          action: .intakeDeletionReturn, details: details)
      }
    }
  }
}
