import Foundation

/// The parts of a child's record that may be emptied when they were
/// recorded wrongly (the record keeps what it held in the audit entry).
public enum ClearableChildField: String, ClosedList {
  case middleNames = "middle-names"
  case preferredSurname = "preferred-surname"
  case preferredForename = "preferred-forename"
  case genderIdentity = "gender-identity"
  case ethnicity
  case language
  case religion
  case sen
  case disability
  case freeSchoolMeals = "fsm"
  case fsmPeriods = "fsm-periods"
  case ethnicitySource = "ethnicity-source"
  case serviceChild = "service-child"
  case sexualOrientation = "sexual-orientation"
  case circumstances
  case lastSchool = "last-school"

  public static let noun = "field that can be emptied"
  public var label: String { rawValue.replacingOccurrences(of: "-", with: " ") }
}

extension Child {
  /// Empties one field.
  public mutating func clear(_ field: ClearableChildField) {
    switch field {
    case .middleNames: middleNames = nil
    case .preferredSurname: preferredSurname = nil
    case .preferredForename: preferredForename = nil
    case .genderIdentity: genderIdentity = nil
    case .ethnicity:
      ethnicity = nil
      ethnicitySource = nil
    case .ethnicitySource: ethnicitySource = nil
    case .serviceChild: serviceChild = nil
    case .fsmPeriods: fsmPeriods = []
    case .language: firstLanguage = nil
    case .religion: religion = nil
    case .sen: senProvision = nil
    case .disability: disability = nil
    case .freeSchoolMeals: freeSchoolMeals = nil
    case .sexualOrientation: sexualOrientation = nil
    case .circumstances: circumstances = nil
    case .lastSchool: lastSchool = nil
    }
  }

  /// Corrects the legal name. The name it replaces is kept among the former
  /// names (unless already there), so that a search for it still finds the
  /// child and the change is plain on the record.
  public mutating func correctLegalName(surname: String?, forename: String?) {
    let old = "\(legalForename) \(legalSurname)"
    if let surname { legalSurname = surname }
    if let forename { legalForename = forename }
    let new = "\(legalForename) \(legalSurname)"
    if new != old && !formerNames.contains(old) { formerNames.append(old) }
  }
}
