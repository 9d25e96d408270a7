import CMETestSupport
import Foundation
import Testing

/// The seed's case study, Child A, re-enacted end to end: a 13-year-old boy,
/// looked after since he was four, in a long-term placement with foster
/// carers, on a part-time timetable; the professionals around him meet every
/// six weeks (led by a therapeutic consultant), the school works towards a
/// full timetable, the social worker visits, life-story work is prepared; the
/// group manager checks the case, the board reviews it, and it closes when
/// full-time education is restored.
struct ChildACaseStudyTests {
  @Test func child_a_from_referral_to_full_time_education() throws {
    let cli = try CLI.withUsers()
    try cli.expectSuccess(["user", "add", "sd", "--role", "board"], user: "admin")
    func run(_ args: [String], _ user: String = "cw", on day: String) throws -> String {
      let r = try cli.run(args, user: user, today: day)
      #expect(r.status == 0, "\(args.joined(separator: " ")): \(r.stderr)")
      return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // September: the virtual school refers him; the case opens with his record and the people around him.
    let child = try run(
      [
        "child", "add", "--surname", "Adeyemi-Hart", "--forename", "Child", "--dob", "2013-05-10", "--sex", "M",
        "--ethnicity", "MWBC", "--ethnicity-source", "pupil", "--language", "ENG", "--looked-after",
        "--care-authority", "891", "--circumstances",
        "Looked after since age 4; long-term placement with white foster carers",
        "--carer", "June Hill;foster carer;07700 900001;no;yes", "--carer", "Rob Hill;foster carer;07700 900002;no;yes",
      ], on: "2026-09-07")
    var people: [String: String] = [:]
    for (role, name) in [
      ("social-worker", "Sam Lee"), ("iro", "Pat Kaur"), ("designated-teacher", "Ms Okafor"),
      ("virtual-school-head", "Dr Grey"), ("therapeutic-worker", "Alex Moss"),
    ] {
      people[role] = try run(
        ["child", "professional", "add", child, "--role", role, "--name", name, "--since", "2026-09-01"],
        on: "2026-09-07")
    }
    let ref = try run(
      [
        "case", "open", child, "--reason", "part-time-timetable", "--hours", "15", "--source", "virtual-school",
        "--referral-received", "2026-09-04", "--opened", "2026-09-07",
      ], on: "2026-09-07")

    // The first professionals' meeting agrees the work, each with the professional who carries it.
    let meeting1 = try run(
      [
        "visit", "log", ref, "--type", "multi-agency-meeting", "--date", "2026-09-14", "--outcome",
        "Professionals' meeting led by the therapeutic consultant: school to plan a phased return; life-story work; foster carers' training",
        "--agency", "virtual-school",
      ], on: "2026-09-14")
    #expect(!meeting1.isEmpty)
    let returnPlan = try run(
      [
        "action", "add", ref, "--agency", "school", "--description", "Plan a phased return to a full timetable",
        "--due", "2026-10-16", "--professional", people["designated-teacher"]!, "--agreed-on", "2026-09-14",
      ], on: "2026-09-15")
    let lifeStory = try run(
      [
        "action", "add", ref, "--agency", "social-care", "--description",
        "Life-story work, and preparation for possible DNA testing", "--due", "2027-01-29", "--professional",
        people["social-worker"]!, "--agreed-on", "2026-09-14",
      ], on: "2026-09-15")
    _ = try run(
      [
        "action", "add", ref, "--agency", "virtual-school", "--description",
        "Training for the foster carers on meeting the needs of a BME child", "--due", "2026-11-30",
        "--professional", people["virtual-school-head"]!,
      ], on: "2026-09-15")
    _ = try run(
      [
        "visit", "log", ref, "--type", "home-visit", "--date", "2026-09-21", "--child-seen", "yes", "--outcome",
        "Social worker's visit; 1:1 time exploring his identity; settled in placement", "--agency", "social-care",
      ], on: "2026-09-21")
    _ = try run(
      ["rag", "set", ref, "amber", "--reason", "Looked after, 15 hours a week; professionals engaged"], on: "2026-09-21"
    )

    // October: the group manager's register check; the second meeting extends the timetable.
    _ = try run(["register", "cycle", "start"], "mgr", on: "2026-10-05")
    _ = try run(
      ["register", "record", ref, "--outcome", "explained", "--note", "Plan in place; professionals meet six-weekly"],
      "mgr", on: "2026-10-05")
    _ = try run(
      [
        "visit", "log", ref, "--type", "multi-agency-meeting", "--date", "2026-10-26", "--outcome",
        "Second professionals' meeting: timetable up to 25 hours; behaviour in school improving",
      ], on: "2026-10-26")
    _ = try run(
      ["case", "update", ref, "--hours", "25", "--reason", "Timetable extended at the meeting"], on: "2026-10-26")
    _ = try run(
      ["action", "done", returnPlan, "--outcome", "Phased return plan agreed with the school", "--on", "2026-10-16"],
      on: "2026-10-26")

    // November: the board reviews the case; full-time education is restored and the case closes.
    let meeting = try run(
      ["board", "meeting", "create", "--date", "2026-11-02", "--chair", "Service Director"], "sd", on: "2026-11-02")
    _ = try run(
      [
        "board", "decide", meeting, ref, "--decision", "continue", "--note",
        "Continue; report the full-time return to the next meeting", "--add",
      ], "sd", on: "2026-11-02")
    _ = try run(
      [
        "case", "close", ref, "--outcome", "full-time-restored", "--evidence",
        "On a full timetable from 16 November; attainment and behaviour improving", "--start-date", "2026-11-16",
        "--confirmation", "Designated teacher's email of 13 November",
      ], on: "2026-11-16")

    // The record holds what the case study holds, and the log proves every row.
    let childShow = try run(["child", "show", child], "mgr", on: "2026-11-16")
    for text in [
      "June Hill, foster carer, 07700 900001, no parental responsibility, lives with the child", "Sam Lee", "Pat Kaur",
      "Ms Okafor", "Dr Grey", "Alex Moss", "stated by the pupil", "MWBC",
    ] {
      #expect(childShow.contains(text), "\(text)")
    }
    let show = try run(["case", "show", ref], "mgr", on: "2026-11-16")
    for text in [
      "case opened: On roll, part-time timetable", "multi-agency meeting", "with Ms Okafor: Plan a phased return",
      "2026-10-16  action  action \(returnPlan) done: Phased return plan agreed", "rated amber",
      "register check (cycle 1): explained", "case closed", "action \(lifeStory) cancelled",
      "Full-time education restored",
    ] {
      #expect(show.contains(text), "\(text)")
    }
    #expect(
      try sqlite3(cli.db, "SELECT reason, status, outcome, weeklyHours FROM cmeCase;").output
        == "part-time-timetable|closed|full-time-restored|25.0\n")
    #expect(try sqlite3(cli.db, "SELECT count(*) FROM boardDecision;").output == "1\n")
    #expect(try cli.run(["audit", "verify"], user: "mgr", today: "2026-11-16").status == 0)
  }
}
