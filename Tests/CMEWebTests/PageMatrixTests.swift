import CMEDomain
import CMEStore
import CMETestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The pages' table of `docs/roles.md`, checked cell by cell against the server.
struct PageMatrixTests {
  /// Page → the answer each role gets: "yes", "" or "→ PATH".
  static func documented() throws -> [(page: String, cells: [Role: String])] {
    let text = try String(contentsOfFile: packageRoot + "/docs/roles.md", encoding: .utf8)
    guard let table = text.components(separatedBy: "## Web pages by role").dropFirst().first else { return [] }
    var rows: [(String, [Role: String])] = []
    for line in table.split(separator: "\n") where line.hasPrefix("| `/") {
      let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      let page = String(cells[1].split(separator: "`", omittingEmptySubsequences: true)[0])
      let roles: [Role] = [.caseworker, .manager, .board, .admin]
      rows.append(
        (page, Dictionary(uniqueKeysWithValues: roles.enumerated().map { ($0.element, cells[2 + $0.offset]) })))
    }
    return rows
  }

  @Test func every_cell_holds_in_the_server() async throws {
    let f = try WebFixture()
    _ = try f.t.register.createMeeting(
      date: testToday, chair: "S. Director", attendees: ["mgr"], by: f.t.register.session("mgr"), today: testToday)
    let rows = try Self.documented()
    #expect(rows.count == 11)
    let names: [Role: String] = [.caseworker: "cw", .manager: "mgr", .board: "board", .admin: "admin"]
    try await f.application().test(.router) { client in
      for (role, name) in names {
        let b = Browser()
        try #require(try await b.signIn(client, name) != nil)
        for (page, cells) in rows {
          let uri = page.replacingOccurrences(of: "REF", with: f.reference.description)
            .replacingOccurrences(of: "NAME", with: "Smith").replacingOccurrences(of: "ID", with: "1")
          let r = try await b.get(client, uri)
          let expected = cells[role] ?? ""
          switch expected {
          case "yes": #expect(r.status == .ok, "\(role) \(uri): \(r.status)")
          case "": #expect(r.status == .forbidden, "\(role) \(uri): \(r.status)")
          default:
            #expect(r.status == .seeOther, "\(role) \(uri): \(r.status)")
            #expect("→ " + (r.headers[.location] ?? "") == expected, "\(role) \(uri)")
          }
        }
      }
    }
  }
}
