import CMEAudit
import CMEDomain
import CMEStore
import CMETestSupport
import Foundation
import Testing

struct ExportTests {
  @Test func a_case_export_leaves_special_category_data_out_unless_a_manager_asks() throws {
    let t = try TestRegister()
    _ = try t.openCase {
      $0.ethnicity = Ethnicity(checked: "BSOM")
      $0.religion = "Muslim"
      $0.senProvision = .ehcPlan
    }
    let plain = try t.register.exportCases(
      status: nil, specialCategory: false, format: "csv", reason: "Return to the DfE", by: t.register.session("mgr"))
    #expect(plain[0].count == Register.caseExportColumns(specialCategory: false).count)
    #expect(!plain[0].contains("BSOM") && !plain[0].contains("Muslim"))
    // Every row names a child: caseworkers and the board do not export.
    for (name, role) in [("cw", Role.caseworker), ("board", .board)] {
      #expect(throws: AccessDenied.notPermitted(user: name, role: role, permission: .exportIdentifiable)) {
        try t.register.exportCases(
          status: nil, specialCategory: false, format: "csv", reason: "x", by: t.register.session(name))
      }
    }
    #expect(
      throws: InvalidInput(
        field: "reason", problem: "the reason for the export is empty", fix: "Give the reason for the export in words")
    ) {
      try t.register.exportCases(
        status: nil, specialCategory: false, format: "csv", reason: " ", by: t.register.session("mgr"))
    }
    let full = try t.register.exportCases(
      status: .open, specialCategory: true, format: "csv", reason: "Equality review", by: t.register.session("mgr"))
    #expect(full[0].contains("BSOM") && full[0].contains("Muslim") && full[0].contains("E"))
    let log = try t.register.auditLog(caseReference: nil, childId: nil, by: t.register.session("mgr"), limit: 2).map {
      "\($0.action) \($0.actor) \($0.reason ?? "")"
    }
    #expect(
      log == [
        "export.cases mgr Return to the DfE", "export.cases mgr Equality review (with special-category data)",
      ])
  }

  @Test func a_large_identifiable_export_needs_its_size_confirmed() throws {
    let t = try TestRegister()
    try t.register.setSetting("export.rowsWithoutConfirmation", to: "2", by: t.register.session("mgr"))
    for _ in 0..<3 { _ = try t.openCase() }
    #expect(throws: InvalidInput.self) {
      try t.register.exportCases(
        status: nil, specialCategory: false, format: "csv", reason: "Audit", by: t.register.session("mgr"))
    }
    #expect(throws: InvalidInput.self) {
      try t.register.exportCases(
        status: nil, specialCategory: false, format: "csv", reason: "Audit", confirmedRows: 2,
        by: t.register.session("mgr"))
    }
    let rows = try t.register.exportCases(
      status: nil, specialCategory: false, format: "csv", reason: "Audit", confirmedRows: 3,
      by: t.register.session("mgr"))
    #expect(rows.count == 3)
  }

  @Test func exported_cells_cannot_run_as_formulas() throws {
    let t = try TestRegister()
    _ = try t.openCase {
      $0.legalSurname = "=HYPERLINK(\"http://x\",\"click\")"
      $0.legalForename = "@cmd"
    }
    let rows = try t.register.exportCases(
      status: nil, specialCategory: false, format: "csv", reason: "Test", by: t.register.session("mgr"))
    let csv = CSVWriter.rows(rows)
    #expect(csv.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\""))
    #expect(csv.contains(",'@cmd,"))
  }

  @Test func a_subject_access_export_holds_everything_including_who_looked() throws {
    let t = try TestRegister()
    let ref = try t.openCase()
    let child = try t.register.caseDetail(ref, viewedBy: t.register.session("mgr2"), today: testToday).child.id!
    _ = try t.register.logVisit(
      ref, type: .homeVisit, date: LocalDate(year: 2026, month: 11, day: 3)!, time: "17:30", childSeen: false,
      outcome: "No answer",
      nextStep: nil, agency: nil, by: t.register.session("cw"), today: testToday)
    #expect(throws: AccessDenied.self) {
      try t.register.subjectAccessExport(childId: child, by: t.register.session("cw"), today: testToday)
    }
    let e = try t.register.subjectAccessExport(childId: child, by: t.register.session("mgr"), today: testToday)
    #expect(e.cases.map(\.caseRecord.reference) == [ref.description])
    #expect(e.cases[0].visits.count == 1)
    let actions = e.auditEntries.map { "\($0.action) \($0.actor)" }
    #expect(actions.contains("case.view mgr2"))
    #expect(actions.contains("visit.log cw"))
    #expect(actions.first == "child.add cw")
    // The export itself is logged against the child.
    #expect(
      try t.register.auditLog(caseReference: nil, childId: child, by: t.register.session("mgr"), limit: 1)[0].action
        == "export.subject-access")
  }

  @Test func a_subject_access_export_holds_each_case_as_case_show_reads_it() throws {
    let t = try TestRegister()
    let ref = try t.openCase()
    _ = try t.register.closeCase(
      ref, outcome: .onRollLASchool,
      evidence: ClosureEvidence(
        text: "Hill Top confirmed the start", school: "122345", startDate: LocalDate(year: 2026, month: 11, day: 12)!,
        confirmation: "Admissions officer, by email"),
      on: nil, by: t.register.session("cw"), today: testToday)
    let shown = try t.register.caseDetail(ref, viewedBy: t.register.session("mgr"), today: testToday)
    let e = try t.register.subjectAccessExport(
      childId: shown.child.id!, by: t.register.session("mgr"), today: testToday)
    let exported = try #require(e.cases.first)
    #expect(exported.closureEvidence?.school == "122345")
    #expect(exported.closureEvidence?.startDate == LocalDate(year: 2026, month: 11, day: 12)!)
    #expect(exported.closureEvidence?.confirmation == "Admissions officer, by email")
    #expect(exported.closureEvidence == shown.closureEvidence)
    #expect(exported.statusHistory == shown.statusHistory)
    #expect(exported.timeline == shown.timeline)
  }
}
