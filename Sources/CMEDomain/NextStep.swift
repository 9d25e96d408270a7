/// What a user can do next after a refusal, named by what it achieves rather
/// than by how a front end does it.
///
/// The rules and the store say *which* step helps; the command line turns it
/// into a command to type, and a web page into a link or a button.
public enum NextStep: Sendable, Hashable {
  /// See the cases of the register.
  case listCases
  /// See one case's record.
  case showCase(String)
  /// Reopen a closed case.
  case reopenCase(String)
  /// Confirm a closure that a school's return proposed.
  case confirmProposedClosure(String)
  /// Find a child by name, date of birth or UPN.
  case findChildren
  /// See one child's record.
  case showChild(Int64)
  /// Change a child's record.
  case updateChild(Int64)
  /// See the actions of the register.
  case listActions
  /// See the users of the register.
  case listUsers
  /// Add a user.
  case addUser(String)
  /// Start a register-check cycle.
  case startCycle
  /// Close the register-check cycle under way.
  case closeCycle
  /// See the cases still to check in the cycle.
  case showRegisterCheck
  /// Record a register check of a case.
  case recordCheck
  /// See the scrutiny board's meetings.
  case listMeetings
  /// See a meeting's agenda.
  case showAgenda(Int64)
  /// See the files imported.
  case listImports
  /// Load the population baseline for the board pack's ratios.
  case loadBaseline
  /// See a letter's template, to start again from it.
  case showLetterTemplate
}
