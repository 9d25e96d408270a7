import CMETestSupport
import Foundation
import Testing

/// The DfE's codes recorded on a child from the command line and from a transfer file.
struct ChildCodesCLITests {
  @Test func language_ethnicity_source_service_child_and_fsm_periods_are_recorded() throws {
    let cli = try CLI.withUsers()
    let children = { try sqlite3(cli.db, "SELECT count(*) FROM child;").output }
    // Refused, with what was wrong, and nothing written.
    for (extra, message) in [
      (
        ["--language", "RUM"],
        "--language: 'RUM' is not a DfE first-language code (it is the ISO code). The DfE code for Romanian is RMN"
      ),
      (["--fsm-period", "2019-09-01"], "--fsm-period: '2019-09-01' is not a period"),
      (
        ["--fsm-period", "2020-09-01:2019-07-31"],
        "--fsm-period: the period ends (2019-07-31) before it starts (2020-09-01)"
      ),
      (["--service-child", "maybe"], "--service-child"),
      (["--ethnicity-source", "parent"], "an ethnicity source is given without an ethnicity"),
      (
        ["--fsm-period", "2024-09-01:2025-07-31", "--fsm-period", "2025-01-01:"],
        "the free-school-meals periods 2024-09-01 to 2025-07-31 and 2025-01-01 to now overlap"
      ),
      (["--fsm-period", "2010-09-01:2011-07-31"], "starts (2010-09-01) before the child was born"),
    ] {
      let r = try cli.run(
        ["child", "add", "--surname", "Kowalenko", "--forename", "Olena", "--dob", "2014-03-02"] + extra, user: "cw")
      #expect(r.status != 0, "\(extra)")
      #expect(r.stderr.contains(message), "\(r.stderr)")
    }
    #expect(try children() == "0\n")

    let id = try cli.expectSuccess(
      [
        "child", "add", "--surname", "Kowalenko", "--forename", "Olena", "--dob", "2014-03-02", "--language", "pnjm",
        "--ethnicity", "WEEU", "--ethnicity-source", "parent", "--service-child", "no", "--fsm-period",
        "2021-09-01:2022-07-31",
      ], user: "cw"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    var show = try cli.expectSuccess(["child", "show", id], user: "cw")
    #expect(show.contains("PNJM Panjabi (Mirpuri)"))  // a four-letter variety fits the record
    #expect(show.contains("stated by the parent"))
    #expect(show.contains("not a Service child"))
    #expect(show.contains("not eligible; ever 6 (periods: 2021-09-01 to 2022-07-31)"))
    try cli.expectSuccess(
      ["child", "update", id, "--fsm-period", "2026-09-01:", "--reason", "Eligible again from September"], user: "cw")
    show = try cli.expectSuccess(["child", "show", id], user: "cw")
    #expect(show.contains("eligible; ever 6 (periods: 2021-09-01 to 2022-07-31; 2026-09-01 to now)"))
    #expect(
      try sqlite3(cli.db, "SELECT startDate, endDate, country FROM childFSMPeriod ORDER BY startDate;").output
        == "2021-09-01|2022-07-31|ENG\n2026-09-01||ENG\n")
    try cli.expectSuccess(
      [
        "child", "update", id, "--clear", "fsm-periods", "--clear", "service-child", "--reason",
        "Entered on the wrong child",
      ],
      user: "cw")
    #expect(try sqlite3(cli.db, "SELECT count(*) FROM childFSMPeriod;").output == "0\n")
    #expect(try sqlite3(cli.db, "SELECT serviceChild IS NULL FROM child WHERE id = \(id);").output == "1\n")
    #expect(try cli.run(["audit", "verify"]).status == 0)
  }

  @Test func a_transfer_files_fsm_history_becomes_the_childs_periods() throws {
    let cli = try CLI.withUsers()
    try cli.expectSuccess(["import", "ctf", packageRoot + "/docs/samples/ctf-lost-pupil.xml"], user: "cw")
    #expect(
      try sqlite3(cli.db, "SELECT startDate, endDate, country FROM childFSMPeriod ORDER BY startDate;").output
        == "2021-02-01|2022-07-20|ENG\n2024-01-08||ENG\n")
  }
}
