import CMETestSupport
import Foundation
import Testing

struct ChildCLITests {
  @Test func a_childs_record_names_the_year_group_as_the_board_pack_does() throws {
    let cli = try CLI.withUsers()
    try cli.expectSuccess(["child", "add", "--surname", "Lee", "--forename", "Amy", "--dob", "2023-01-10"], user: "cw")
    let show = try cli.expectSuccess(["child", "show", "1"], user: "cw")
    #expect(show.contains("2023-01-10 (age 3, year group Nursery)"), "got: \(show)")
  }
}
