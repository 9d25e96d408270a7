import CMEDomain
import CMEStore
import CMETestSupport
import Foundation
import Testing

/// The role matrix in `docs/roles.md`, checked cell by cell against the store.
struct RoleMatrixTests {
  /// The table of `docs/roles.md`: permission → the roles marked "yes".
  static func documented() throws -> [String: Set<Role>] {
    let whole = try String(contentsOfFile: packageRoot + "/docs/roles.md", encoding: .utf8)
    // The first table: the permissions (the pages' table follows it).
    let text = whole.components(separatedBy: "## Web pages by role")[0]
    var matrix: [String: Set<Role>] = [:]
    for line in text.split(separator: "\n") where line.hasPrefix("| `") {
      let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      let name = cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
      let roles: [Role] = [.caseworker, .manager, .board, .admin]
      matrix[name] = Set(roles.enumerated().filter { cells[3 + $0.offset] == "yes" }.map(\.element))
    }
    return matrix
  }

  @Test func the_documented_matrix_is_the_code_s() throws {
    let doc = try Self.documented()
    #expect(Set(doc.keys) == Set(Permission.allCases.map { "\($0)" }))
    for p in Permission.allCases { #expect(doc["\(p)"] == p.roles, "\(p)") }
  }

  @Test func every_cell_holds_in_the_store() throws {
    let t = try TestRegister()
    let r = t.register
    let ref = try t.openCase()
    let childId = try r.caseDetail(ref, viewedBy: r.session("mgr"), today: testToday).child.id!
    let (meeting, _) = try r.createMeeting(
      date: testToday, chair: "Director", attendees: [], by: r.session("mgr"), today: testToday)
    var n = 0
    let operations: [Permission: (Session) throws -> Void] = [
      .manageUsers: { s in
        n += 1
        _ = try r.addUser(name: "u\(n)", role: .caseworker, by: s)
      },
      .readRegister: { s in _ = try r.listCases(status: nil, rag: nil, by: s) },
      .readBoardPapers: { s in _ = try r.meetings(by: s) },
      .readSettings: { s in _ = try r.settings(by: s) },
      .writeCases: { s in
        _ = try r.addChild(
          Child(legalSurname: "A", legalForename: "B", dateOfBirth: testToday.adding(days: -4000)), by: s,
          today: testToday)
      },
      .setRAG: { s in _ = try r.setRating(ref, to: .red, reason: "test", by: s, today: testToday) },
      .runRegisterCycle: { s in try r.setSetting("rag.amberAfterDaysOpen", to: "30", by: s) },
      .recordRegisterCheck: { s in
        _ = try r.recordCheck(ref, outcome: .escalated, note: "x", rag: nil, explanation: nil, by: s, today: testToday)
      },
      .readAuditLog: { s in _ = try r.auditLog(caseReference: nil, childId: nil, by: s, limit: 1) },
      .verifyAuditLog: { s in _ = try r.verifyAudit(by: s) },
      .runBoard: { s in _ = try r.buildPack(meeting: meeting.id, format: "csv", identifiable: false, by: s) },
      .seeIdentifiablePack: { s in _ = try r.buildPack(meeting: meeting.id, format: "csv", identifiable: true, by: s) },
      .markNoteSafe: { s in
        _ = try r.decide(
          meeting: meeting.id, case: ref, decision: .continue, note: "Plan agreed", addToAgenda: true, details: .init(),
          noteSafe: true, by: s, today: testToday)
      },
      .exportSpecialCategory: { s in
        _ = try r.exportCases(status: nil, specialCategory: true, format: "csv", reason: "test", by: s)
      },
      .exportIdentifiable: { s in
        _ = try r.exportCases(status: nil, specialCategory: false, format: "csv", reason: "test", by: s)
      },
      .subjectAccess: { s in _ = try r.subjectAccessExport(childId: childId, by: s, today: testToday) },
      .redactAuditLog: { s in _ = try r.requestRedaction(of: 3, reason: "test", by: s) },
      .manageRetention: { s in _ = try r.retentionReview(by: s, today: testToday) },
      .backupRegister: { s in
        n += 1
        _ = try r.backup(to: t.directory.file("backup-\(n).sqlite"), by: s) {}
      },
    ]
    #expect(Set(operations.keys) == Set(Permission.allCases))
    let users: [Role: String] = [.caseworker: "cw2", .manager: "mgr2", .board: "board", .admin: "admin"]
    for p in Permission.allCases {
      for (role, name) in users {
        var denied = false
        do { try operations[p]!(try r.session(name)) } catch is AccessDenied { denied = true } catch {}
        #expect(denied == !p.roles.contains(role), "\(p) as \(role)")
      }
    }
  }
}

struct NeedToKnowTests {
  /// Gender identity, sexual orientation, religion and disability are seen by
  /// managers and by the lead caseworker of the child's case, not by every
  /// caseworker.
  @Test func special_category_details_are_seen_by_those_who_work_the_case() throws {
    let t = try TestRegister()
    let ref = try t.openCase {
      $0.religion = "Muslim"
      $0.sexualOrientation = "gay"
      $0.genderIdentity = "non-binary"
      $0.disability = "epilepsy"
    }
    let r = t.register
    let id = try r.caseDetail(ref, viewedBy: r.session("mgr"), today: testToday).child.id!
    for name in ["mgr", "cw"] {
      let c = try r.childRecord(id: id, viewedBy: r.session(name)).child
      #expect(c.religion == "Muslim" && c.sexualOrientation == "gay" && c.disability == "epilepsy", "\(name)")
    }
    let other = try r.childRecord(id: id, viewedBy: r.session("cw2")).child
    #expect(other.religion == nil && other.sexualOrientation == nil && other.genderIdentity == nil)
    #expect(other.disability == nil && other.legalSurname == "Smith")
    let viaCase = try r.caseDetail(ref, viewedBy: r.session("cw2"), today: testToday).child
    #expect(viaCase.religion == nil && viaCase.sexualOrientation == nil)
    // Recording some casework does not open them.
    _ = try r.markEnquiryNotApplicable(
      ref, item: .ministryOfDefence, reason: "Not a Service family", by: r.session("cw2"))
    #expect(try r.childRecord(id: id, viewedBy: r.session("cw2")).child.religion == nil)
  }
}
