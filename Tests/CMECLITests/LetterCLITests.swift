import CMETestSupport
import Foundation
import Testing

/// Letters, notices and notifications: rendered from templates, kept with the case, on its timeline.
struct LetterCLITests {
  func setUp(_ cli: CLI) throws -> String {
    let id = try cli.expectSuccess(
      [
        "child", "add", "--surname", "Ward<script>alert(1)</script>", "--forename", "Tommy", "--dob", "2014-03-02",
        "--carer", "Mary Ward;mother;07700 900123", "--carer", "Sue Ward;grandmother;07700 900124;no;no",
        "--address", "12 Meadow Lane, Nottingham", "--postcode", "NG2 3HJ", "--last-school", "892/4001",
      ], user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    return try cli.expectSuccess(["case", "open", id, "--reason", "whereabouts-unknown"], user: "cw")
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }

  @Test func an_s437_notice_is_issued_kept_and_shown_on_the_timeline() throws {
    let cli = try CLI.withUsers()
    let ref = try setUp(cli)
    let out = cli.directory.file("notice.html")
    // Fewer than 15 days, and a kind that has its own command: refused, nothing written.
    let short = try cli.run(
      ["letter", "issue", ref, "--kind", "s437-notice", "--respond-by", "2026-11-20", "--out", out], user: "cw")
    #expect(short.status == 65)
    #expect(
      short.stderr.contains(
        "--respond-by: 2026-11-20 gives the parents fewer than 15 days to answer. Give 2026-12-01 or later"))
    let early = try cli.run(
      ["letter", "issue", ref, "--kind", "s437-intention", "--proposed-school", "Hill Top", "--out", out],
      user: "cw")
    #expect(early.stderr.contains("no notice under section 437(1) has been issued"))
    for (extra, message) in [
      (
        ["--kind", "s437-intention"],
        "--proposed-school: a notice of intention to serve a school attendance order names the school"
      ),
      (
        ["--kind", "parent-enquiry", "--proposed-school", "Hill Top"],
        "only a notice of intention (s437-intention) names a proposed school"
      ),
      (["--kind", "parent-enquiry", "--to", " "], "--to: the addressee is empty"),
    ] {
      let r = try cli.run(["letter", "issue", ref, "--out", out] + extra, user: "cw")
      #expect(r.status == 65 && r.stderr.contains(message), "\(r.stderr)")
    }
    let control = try cli.run(
      ["letter", "issue", ref, "--kind", "parent-enquiry", "--out", out + "\u{1B}[31m"], user: "cw")
    #expect(control.status == 65 && control.stderr.contains("control characters"))
    let wrongKind = try cli.run(["letter", "issue", ref, "--kind", "la-notification", "--out", out], user: "cw")
    #expect(wrongKind.stderr.contains("a notification to another authority is sent with 'cme notify'"))
    #expect(!FileManager.default.fileExists(atPath: out))
    #expect(try sqlite3(cli.db, "SELECT count(*) FROM caseLetter;").output == "0\n")

    let id = try cli.expectSuccess(["letter", "issue", ref, "--kind", "s437-notice", "--out", out], user: "cw")
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let html = try String(contentsOfFile: out, encoding: .utf8)
    #expect(html.contains("Notice under section 437(1) of the Education Act 1996"))
    #expect(html.contains("<p>Mary Ward</p>"))  // the parent with parental responsibility
    #expect(html.contains("by <strong>2026-12-01</strong>"))
    #expect(html.contains("Tommy Ward&lt;script&gt;"))
    #expect(!html.contains("<script"))
    let mode = try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    // Kept as sent, listed, shown, and on the timeline.
    let views = try sqlite3(cli.db, "SELECT count(*) FROM auditEntry WHERE action = 'case.view';").output
    #expect(try cli.expectSuccess(["letter", "show", ref, id], user: "cw") == html)
    let after = try sqlite3(cli.db, "SELECT count(*) FROM auditEntry WHERE action = 'case.view';").output
    #expect(Int(after.trimmingCharacters(in: .newlines))! == Int(views.trimmingCharacters(in: .newlines))! + 1)
    #expect(
      try cli.expectSuccess(["letter", "list", ref, "--format", "csv"], user: "cw").contains(
        "s437-notice,Mary Ward,2026-12-01"))
    let show = try cli.expectSuccess(["case", "show", ref], user: "cw")
    #expect(
      show.contains(
        "letter \(id) issued: Notice under section 437(1) of the Education Act 1996, to Mary Ward; answer by 2026-12-01"
      ))
    // The notice of intention follows only once the notice's answer date has passed.
    let soon = try cli.run(
      ["letter", "issue", ref, "--kind", "s437-intention", "--proposed-school", "Hill Top", "--out", out + "2"],
      user: "cw")
    #expect(soon.stderr.contains("the section 437(1) notice gives the parents until 2026-12-01 to answer"))
    try cli.expectSuccess(
      [
        "letter", "issue", ref, "--kind", "s437-intention", "--proposed-school", "Hill Top Academy", "--out", out + "2",
      ],
      user: "cw", today: "2026-12-02")
    #expect(try String(contentsOfFile: out + "2", encoding: .utf8).contains("<strong>Hill Top Academy</strong>"))
    #expect(try cli.run(["audit", "verify"]).status == 0)
  }

  @Test func a_notification_goes_to_another_authority_and_one_received_is_recorded() throws {
    let cli = try CLI.withUsers()
    let ref = try setUp(cli)
    let out = cli.directory.file("notification.html")
    let bad = try cli.run(["notify", ref, "--to-la", "999", "--out", out], user: "cw")
    #expect(bad.status == 65 && bad.stderr.contains("--to-la: '999' is not an LA number"))
    try cli.expectSuccess(["notify", ref, "--to-la", "926", "--out", out], user: "cw")
    let html = try String(contentsOfFile: out, encoding: .utf8)
    #expect(html.contains("notification to local authority 926"))
    #expect(html.contains("12 Meadow Lane, Nottingham, NG2 3HJ"))
    #expect(html.contains("Sue Ward, grandmother"))
    #expect(
      try sqlite3(cli.db, "SELECT direction, laCode FROM laNotification;").output == "sent|926\n")
    try cli.expectSuccess(
      ["notify", ref, "--from-la", "892", "--received", "2026-11-12", "--note", "Known to us: new address"],
      user: "cw")
    let twice = try cli.run(["notify", ref, "--from-la", "892", "--received", "2026-11-12"], user: "cw")
    #expect(twice.status != 0 && twice.stderr.contains("already records a notification from local authority 892"))
    let written = try cli.run(
      ["notify", ref, "--from-la", "926", "--received", "2026-11-12", "--out", out], user: "cw")
    #expect(written.status == 65 && written.stderr.contains("a notification received is recorded, not written"))
    let show = try cli.expectSuccess(["case", "show", ref], user: "cw")
    #expect(
      show.contains("2026-11-12  notice  CME notification received from local authority 892: Known to us: new address"))
    // A transfer to another authority names it.
    let close = try cli.run(
      [
        "case", "close", ref, "--outcome", "transferred-to-other-la-cme", "--evidence", "Accepted by 926",
        "--confirmation", "Email of 16 November",
      ], user: "cw")
    #expect(close.status == 65 && close.stderr.contains("the authority the child moved to (its DfE LA number)"))
    try cli.expectSuccess(
      [
        "case", "close", ref, "--outcome", "transferred-to-other-la-cme", "--evidence", "Accepted by 926",
        "--confirmation", "Email of 16 November", "--destination-la", "926",
      ], user: "cw")
    #expect(try cli.expectSuccess(["case", "show", ref], user: "cw").contains("moved to LA       926"))
    #expect(try cli.run(["audit", "verify"]).status == 0)
  }

  @Test func an_authority_uses_its_own_wording_and_a_letter_prints_to_pdf() throws {
    let cli = try CLI.withUsers()
    let ref = try setUp(cli)
    let template = cli.directory.file("mine.mustache")
    try "<p>Our own letter about {{childName}}, born {{dateOfBirth}}.</p>".write(
      toFile: template, atomically: true, encoding: .utf8)
    let byCaseworker = try cli.run(["letter", "template", "set", "parent-enquiry", template], user: "cw")
    #expect(byCaseworker.status == 77)
    let broken = cli.directory.file("broken.mustache")
    try "<p>{{#childName}} never closed</p>".write(toFile: broken, atomically: true, encoding: .utf8)
    let refused = try cli.run(["letter", "template", "set", "parent-enquiry", broken])
    #expect(refused.status == 65 && refused.stderr.contains("the template cannot be read"))
    #expect(
      refused.stderr.contains("start again from the letter's template (see it with 'cme letter template show KIND')"))
    let nameless = cli.directory.file("nameless.mustache")
    try "<p>Dear parent</p>".write(toFile: nameless, atomically: true, encoding: .utf8)
    #expect(
      try cli.run(["letter", "template", "set", "parent-enquiry", nameless]).stderr.contains("never names the child"))
    // Nothing a user typed reaches a letter unescaped: raw values, partials and new delimiters are refused.
    for (text, message) in [
      ("<p>{{{childName}}}</p>", "prints a value unescaped ({{{name}}})"),
      ("<p>{{& childName}}</p>", "prints a value unescaped ({{& name}})"),
      ("<p>{{childName}} {{> other}}</p>", "includes another template"),
      ("<p>{{childName}} {{=<% %>=}}</p>", "changes the delimiters"),
      ("<p>{{childName}}\n{{#parents}} open</p>", "line 2, column"),
    ] {
      let bad = cli.directory.file("bad.mustache")
      try text.write(toFile: bad, atomically: true, encoding: .utf8)
      let r = try cli.run(["letter", "template", "set", "parent-enquiry", bad])
      #expect(r.status == 65 && r.stderr.contains(message), "\(text): \(r.stderr)")
      #expect(!r.stderr.contains("Mustache."))
    }
    try cli.expectSuccess(["letter", "template", "set", "parent-enquiry", template])
    #expect(try cli.expectSuccess(["letter", "template", "show", "parent-enquiry"]).hasPrefix("<p>Our own letter"))
    let out = cli.directory.file("letter.html")
    try cli.expectSuccess(["letter", "issue", ref, "--kind", "parent-enquiry", "--out", out], user: "cw")
    #expect(
      try String(contentsOfFile: out, encoding: .utf8)
        == "<p>Our own letter about Tommy Ward&lt;script&gt;alert(1)&lt;/script&gt;, born 2014-03-02.</p>")
    try cli.expectSuccess(["letter", "template", "reset", "parent-enquiry"])
    #expect(try cli.expectSuccess(["letter", "template", "show", "parent-enquiry"]).contains("OFFICIAL-SENSITIVE"))
    if FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") {
      let pdf = cli.directory.file("letter.pdf")
      try cli.expectSuccess(
        ["letter", "issue", ref, "--kind", "school-enquiry", "--out", pdf, "--format", "pdf"], user: "cw")
      let bytes = try Data(contentsOf: URL(fileURLWithPath: pdf))
      #expect(bytes.prefix(4) == Data("%PDF".utf8))
    }
    #expect(try cli.run(["audit", "verify"]).status == 0)
  }
}
