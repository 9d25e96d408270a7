import CMEDomain
import GRDB

// How the domain's values are stored: dates as `YYYY-MM-DD` text, codes as
// their DfE or list text. Reading a value the schema's CHECK forbids fails
// (GRDB reports the column), so a row changed outside cme is never read as
// a default.

extension LocalDate: DatabaseValueConvertible {
  public var databaseValue: DatabaseValue { description.databaseValue }

  public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> LocalDate? {
    String.fromDatabaseValue(dbValue).flatMap(LocalDate.init(iso:))
  }
}

extension Role: DatabaseValueConvertible {}
extension RAG: DatabaseValueConvertible {}
extension CheckOutcome: DatabaseValueConvertible {}
extension SchoolCalendar.Kind: DatabaseValueConvertible {}
extension Sex: DatabaseValueConvertible {}
extension SENProvision: DatabaseValueConvertible {}
extension ReferralSource: DatabaseValueConvertible {}
extension CaseReason: DatabaseValueConvertible {}
extension CaseStatus: DatabaseValueConvertible {}
extension ClosureOutcome: DatabaseValueConvertible {}
extension StatusChange.Kind: DatabaseValueConvertible {}
extension VisitType: DatabaseValueConvertible {}
extension Agency: DatabaseValueConvertible {}
extension ActionState: DatabaseValueConvertible {}
extension EnquiryItem: DatabaseValueConvertible {}
extension DeletionGround.Regime: DatabaseValueConvertible {}
extension BoardDecisionKind: DatabaseValueConvertible {}
