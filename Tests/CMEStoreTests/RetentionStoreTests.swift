import CMEAudit
import CMEDomain
import CMEStore
import CMETestSupport
import Foundation
import Testing

/// Keeping records only as long as the schedule says, and disposing of
/// them without a trace of the child and without breaking the log.
struct RetentionStoreTests {
  /// Words that identify the child made by ``closedChild(_:)``, each found nowhere after a disposal.
  static let traces = [
    "Zebedee", "Quixotic", "Marmaduke", "Quillfeather", "Unusualstreet", "ZZ9 9ZZ", "Quimby-Parent", "07700 900123",
    "B801200005001", "Ferncliffe Academy", "Quentin Socialworker",
  ]

  /// A child born in 2014 (their record kept until their 25th birthday) with a full
  /// record, and a case worked and closed; a second child for contrast.
  func closedChild(_ t: TestRegister) throws -> (child: Int64, reference: CaseReference) {
    let ref = try t.openCase(opened: "2026-09-14") {
      $0.legalForename = "Zebedee"
      $0.legalSurname = "Quixotic"
      $0.middleNames = "Marmaduke"
      $0.formerNames = ["Zebedee Quillfeather"]
      $0.dateOfBirth = LocalDate(year: 2014, month: 3, day: 2)!
      $0.upn = try? UPN.validate("B801200005001").get()
      $0.addresses = [Address(text: "1 Unusualstreet, Nottingham", postcode: "ZZ9 9ZZ")]
      $0.carers = [Carer(name: "Quimby-Parent", relationship: "mother", phone: "07700 900123")]
      $0.ethnicity = Ethnicity(checked: "WIRT")
      $0.concerns = [.criminalExploitation]
    }
    _ = try t.register.logVisit(
      ref, type: .homeVisit, date: LocalDate(year: 2026, month: 9, day: 15)!, time: nil, childSeen: true,
      outcome: "Zebedee seen at home with Quimby-Parent", nextStep: "Call Ferncliffe Academy", agency: nil,
      by: t.register.session("cw"), today: testToday)
    _ = try t.register.setRating(
      ref, to: .red, reason: "Zebedee Quixotic not seen since September", by: t.register.session("cw"),
      today: testToday)
    _ = try t.register.closeCase(
      ref, outcome: .onRollLASchool,
      evidence: ClosureEvidence(
        text: "Ferncliffe Academy confirmed Zebedee started", school: "122345",
        startDate: LocalDate(year: 2026, month: 11, day: 10)), on: nil, by: t.register.session("cw"), today: testToday)
    _ = try t.register.findChildren("Zebedee Quixotic", by: t.register.session("cw"))
    let child = try #require(try t.register.findChildren("Quixotic", by: t.register.session("cw")).children.first?.id)
    _ = try t.register.addProfessional(
      Professional(role: .socialWorker, name: "Quentin Socialworker", organisation: "CSC"), toChild: child,
      by: t.register.session("cw"), today: testToday)
    return (child, ref)
  }

  /// The day after the record's retention ends: the 25th birthday (later than 6 years after the case).
  let later = LocalDate(year: 2039, month: 3, day: 3)!

  @Test func a_disposal_leaves_no_trace_of_the_child_the_log_verifies_and_counts_stay() throws {
    let t = try TestRegister()
    let (child, _) = try closedChild(t)
    let other = try t.openCase { $0.legalSurname = "Keeper" }
    let mgr = try t.register.session("mgr")
    let before = try t.register.retentionReview(by: mgr, today: testToday)
    #expect(before.isEmpty)
    let due = try t.register.retentionReview(by: mgr, today: later)
    #expect(due.filter { $0.keptBecause == nil }.map(\.childId) == [child])
    #expect(due.filter { $0.keptBecause != nil }.map(\.keptBecause) == ["an open case"])
    let cases = try sqlite3(t.path, "SELECT count(*), min(openedOn), max(closedOn) FROM cmeCase;").output
    let (meeting, _) = try t.register.createMeeting(
      date: testToday, chair: "Service Director", attendees: [], by: mgr, today: testToday)
    func figures() throws -> [Substring] {
      // The pack's figures, without the lines that name the log's head (which the disposal moves on).
      try t.register.buildPack(meeting: meeting.id, format: "csv", identifiable: false, by: mgr).text
        .split(whereSeparator: \.isNewline).filter {
          !$0.contains("digest") && !$0.contains("entry") && !$0.contains("Entry")
        }
    }
    let packBefore = try figures()
    #expect(packBefore.count > 10)

    let done = try t.register.disposeDue(by: mgr, today: later)
    #expect(done.map(\.childId) == [child])
    #expect(done[0].removed.contains("carer 1"))
    #expect(done[0].redactedEntries >= 5)

    // The log and every row verify.
    let v = try t.register.verifyAudit(by: mgr)
    #expect(v.isIntact, "\(v.problem ?? "")")
    // No trace of the child anywhere in the file: every table, every payload, every free page.
    let dump = try sqlite3(t.path, ".dump").output
    let bytes = try Data(contentsOf: URL(fileURLWithPath: t.path))
    for word in Self.traces {
      #expect(!dump.contains(word), "\(word) is still in the register")
      #expect(bytes.range(of: Data(word.utf8)) == nil, "\(word) is still in the file's bytes")
    }
    for suffix in ["-wal", "-journal"] {
      if let wal = FileManager.default.contents(atPath: t.path + suffix) {
        for word in Self.traces { #expect(wal.range(of: Data(word.utf8)) == nil, "\(word) is in \(suffix)") }
      }
    }
    // The board's figures stay as they were; the other child is untouched.
    #expect(try figures() == packBefore)
    #expect(try sqlite3(t.path, "SELECT count(*), min(openedOn), max(closedOn) FROM cmeCase;").output == cases)
    #expect(
      try t.register.caseDetail(other, viewedBy: t.register.session("cw"), today: testToday).caseRecord.status == .open)
    // A disposal record says what went, and the same child cannot be disposed of twice.
    #expect(
      try sqlite3(t.path, "SELECT basis, removed LIKE '%childAddress 1%' FROM disposal;").output == "retention|1\n")
    #expect(try t.register.retentionReview(by: mgr, today: later).filter { $0.keptBecause == nil }.isEmpty)
  }

  /// A search that names the child with a joiner or an accent typed on the
  /// name (which reads as the name, whether or not the search found them)
  /// is removed with them.
  @Test func a_search_with_a_joiner_or_an_accent_on_the_name_goes_with_the_child() throws {
    let t = try TestRegister()
    let (child, _) = try closedChild(t)
    let cw = try t.register.session("cw")
    for text in ["Zebedee\u{200D} Quixotic\u{200D}", "Quixo\u{301}tic", "QUIXOTIC\u{200C}"] {
      _ = try t.register.findChildren(text, by: cw)
    }
    let done = try t.register.disposeDue(by: t.register.session("mgr"), today: later)
    #expect(done.map(\.childId) == [child])
    let dump = try sqlite3(t.path, ".dump").output
    for word in ["Zebedee", "Quixo", "QUIXOTIC"] { #expect(!dump.contains(word), "\(word) is still in the register") }
  }

  @Test func a_hold_keeps_a_record_until_it_is_released() throws {
    let t = try TestRegister()
    let (child, _) = try closedChild(t)
    let mgr = try t.register.session("mgr")
    try t.register.holdRecord(childId: child, reason: "Inquiry into the academy's exclusions", by: mgr)
    let review = try t.register.retentionReview(by: mgr, today: later)
    #expect(review.first?.keptBecause == "a legal hold: Inquiry into the academy's exclusions")
    #expect(try t.register.disposeDue(by: mgr, today: later).isEmpty)
    #expect(throws: StoreError.self) { try t.register.disposeDue(children: [child], by: mgr, today: later) }
    try t.register.releaseHold(childId: child, reason: "Inquiry closed", by: mgr)
    #expect(try t.register.disposeDue(children: [child], by: mgr, today: later).count == 1)
  }

  @Test func a_record_not_yet_due_or_with_an_open_case_is_refused_by_name() throws {
    let t = try TestRegister()
    let (child, _) = try closedChild(t)
    let open = try t.openCase()
    let mgr = try t.register.session("mgr")
    let early = #expect(throws: StoreError.self) {
      try t.register.disposeDue(children: [child], by: mgr, today: testToday)
    }
    #expect(
      early?.description == "child \(child)'s record is kept until 2039-03-02; it cannot be disposed of before then")
    let openChild = try #require(
      Int64(
        try sqlite3(t.path, "SELECT childId FROM cmeCase WHERE reference = '\(open)';").output.trimmingCharacters(
          in: .newlines)))
    #expect(throws: StoreError.self) { try t.register.disposeDue(children: [openChild], by: mgr, today: later) }
    // Caseworkers may not dispose of anything.
    #expect(throws: AccessDenied.self) { try t.register.disposeDue(by: t.register.session("cw"), today: later) }
  }

  @Test func a_child_recorded_in_error_is_erased_at_once_with_two_managers() throws {
    let t = try TestRegister()
    let (child, _) = try closedChild(t)
    let request = try t.register.requestErasure(
      childId: child, reason: "Recorded against the wrong family", by: t.register.session("mgr"))
    #expect(throws: StoreError.self) { try t.register.approveErasure(request: request, by: t.register.session("mgr")) }
    let done = try t.register.approveErasure(request: request, by: t.register.session("mgr2"))
    #expect(done.basis == "error")
    #expect(try t.register.verifyAudit(by: t.register.session("mgr")).isIntact)
    let dump = try sqlite3(t.path, ".dump").output
    for word in Self.traces { #expect(!dump.contains(word), "\(word)") }
  }
}
