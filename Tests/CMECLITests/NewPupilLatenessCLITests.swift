import CMETestSupport
import Foundation
import Testing

/// A new-registration return that reaches the LA after the fifth day is flagged for the caseworker.
struct NewPupilLatenessCLITests {
  @Test func a_late_new_registration_return_is_flagged() throws {
    let cli = try CLI.withUsers()
    let file = cli.directory.file("new.csv")
    try
      "surname,forename,date_of_birth,school,start_date\nWard,Tommy,2014-03-02,122345,2026-11-02\nLee,Ann,2015-01-01,122345,2026-11-13\n"
      .write(toFile: file, atomically: true, encoding: .utf8)
    let csv = try cli.expectSuccess(["import", "new-pupils", file, "--format", "csv"], user: "cw")
    #expect(
      csv
        == "line,outcome,child,case,flags\r\n2,not-on-register,,,\"late new-registration return: the pupil started 2026-11-02, due to the LA by 2026-11-07, received 2026-11-16 (9 days late)\"\r\n3,not-on-register,,,\r\n"
    )
    let flagged = try cli.expectSuccess(["import", "show", file, "--flagged"], user: "cw")
    #expect(flagged.contains("late new-registration return"))
  }
}
