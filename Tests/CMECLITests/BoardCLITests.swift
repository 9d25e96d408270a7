import CMETestSupport
import Foundation
import Testing

struct BoardCLITests {
  @Test func from_an_empty_meeting_to_a_pack_and_recorded_decisions() throws {
    let cli = CLI()
    try cli.expectSuccess(["demo", "--children", "300", "--seed", "2", "--as-of", "2026-11-16"], user: "me")
    let id = try cli.expectSuccess(
      [
        "board", "meeting", "create", "--date", "2026-11-16", "--chair", "Service Director", "--attendee",
        "Head of Inclusion",
      ], user: "me")
    #expect(id == "1\n")
    let agenda = try cli.expectSuccess(["board", "agenda", "1", "--format", "csv"], user: "me")
    let first = try #require(
      agenda.split(separator: "\r\n").dropFirst().first?.split(separator: ",").first.map(String.init))
    let html = cli.directory.file("pack.html")
    let out = try cli.expectSuccess(["board", "pack", "1", "--out", html], user: "me")
    #expect(out.contains("Data digest"))
    let text = try String(contentsOfFile: html, encoding: .utf8)
    #expect(text.hasPrefix("<!DOCTYPE html>"))
    #expect(text.contains("<svg"))
    #expect(text.contains("@page{size:A4"))
    let decided = try cli.expectSuccess(
      ["board", "decide", "1", first, "--decision", "continue", "--note", "Plan agreed; review next month"], user: "me")
    #expect(decided.contains("Made on pack"))
    let show = try cli.expectSuccess(["board", "meeting", "show", "1"], user: "me")
    #expect(show.contains("\(first): continue: Plan agreed; review next month"))
  }

  @Test func part_a_for_publication_and_the_direction_of_travel_from_the_last_meeting() throws {
    let cli = CLI()
    try cli.expectSuccess(["demo", "--children", "300", "--seed", "2", "--as-of", "2026-11-16"], user: "me")
    try cli.expectSuccess(["settings", "set", "board.target.openCases", "1"], user: "me")
    try cli.expectSuccess(["board", "meeting", "create", "--date", "2026-10-19", "--chair", "SD"], user: "me")
    let first = cli.directory.file("october.csv")
    try cli.expectSuccess(["board", "pack", "1", "--part", "a", "--format", "csv", "--out", first], user: "me")
    let partA = try String(contentsOfFile: first, encoding: .utf8)
    #expect(partA.contains("marking,,,OFFICIAL — Part A"))
    #expect(!partA.contains("CME-20"))
    try cli.expectSuccess(["board", "meeting", "create", "--date", "2026-11-16", "--chair", "SD"], user: "me")
    let md = cli.directory.file("november.md")
    let out = try cli.expectSuccess(
      ["board", "pack", "2", "--format", "md", "--out", md, "--agenda-limit", "10"], user: "me")
    #expect(out.contains("10 of the"))
    let text = try String(contentsOfFile: md, encoding: .utf8)
    // The last meeting's published figures beside this one's, and the target missed.
    let open = try #require(text.split(separator: "\n").last { $0.hasPrefix("| Open cases | ") })
    #expect(!open.contains("| – | – |") && !open.contains("| c |"))
    #expect(open.hasSuffix("| ≤ 1 |"))
    #expect(text.contains("- Open cases: ") && text.contains("against a target of 1 or fewer."))
    #expect(text.contains("## Part B — decision agenda"))
    #expect(text.split(separator: "\n").filter { $0.hasPrefix("| ") && $0.contains(" | CME-20") }.count == 10)
  }

  @Test func board_bad_input_is_refused() throws {
    let cli = try CLI.withUsers()
    try cli.expectSuccess(["child", "add", "--surname", "A", "--forename", "B", "--dob", "2014-03-02"], user: "cw")
    try cli.expectSuccess(
      ["case", "open", "1", "--reason", "school-application-awaiting-outcome", "--opened", "2026-11-16"], user: "cw")
    try cli.expectSuccess(["board", "meeting", "create", "--date", "2026-11-20", "--chair", "SD"])
    let before = try cli.auditCount()
    let unknown = try cli.run(["board", "agenda", "7"])
    #expect(unknown.status == 1)
    #expect(unknown.stderr == "error: no board meeting '7'. List meetings with 'cme board meeting list'\n")
    let notOn = try cli.run(["board", "decide", "1", "CME-2026-00001", "--decision", "continue", "--note", "x"])
    #expect(notOn.status == 65)
    #expect(
      notOn.stderr.hasPrefix(
        "error: CASE: CME-2026-00001 is not on the agenda of meeting 1. Add it to the agenda, or choose a case on it (--add adds it; 'cme board agenda 1' shows the agenda)\n"
      ))
    let badDecision = try cli.run([
      "board", "decide", "1", "CME-2026-00001", "--decision", "ignore", "--note", "x", "--add",
    ])
    #expect(badDecision.status == 64)
    #expect(badDecision.stderr.hasPrefix("Error: The value 'ignore' is invalid for '--decision <decision>'."))
    #expect(badDecision.stderr.contains("- escalate-social-care\n"))
    let file = cli.directory.file("census.csv")
    try "characteristic,code,count\ntotal,all,1000\nsex,X,10\nsen,E,-1\n".write(
      toFile: file, atomically: true, encoding: .utf8)
    let baseline = try cli.run(["baseline", "import", file])
    #expect(baseline.status == 65)
    #expect(
      baseline.stderr
        == "\(file):3:code: 'X' is not a code of sex; use one of F, M, U\n\(file):4:count: -1 is negative; a count is 0 or more\n2 problems; nothing was imported\n"
    )
    let identifiable = try cli.run(
      ["board", "pack", "1", "--out", cli.directory.file("p.html"), "--identifiable"], user: "cw")
    #expect(identifiable.status == 77)
    #expect(try cli.auditCount() == before)
  }
}
