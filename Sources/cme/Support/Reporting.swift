import ArgumentParser
import CMEDomain
import CMEStore
import Foundation

/// Exit codes, documented in the README.
enum Exit {
  /// Something went wrong that the user can fix: unknown case, a conflict.
  static let failure: Int32 = 1
  /// `cme audit verify` found the log damaged.
  static let auditDamaged: Int32 = 2
  /// A value given was wrong (bad date, UPN, code outside its list).
  static let badInput: Int32 = 65
  /// The user is unknown or their role may not do this.
  static let denied: Int32 = 77
}

func printError(_ message: String) {
  TerminalProgress.shared.endLine()
  FileHandle.standardError.write(Data("error: \(message)\n".utf8))
}

func printNote(_ message: String) {
  TerminalProgress.shared.endLine()
  FileHandle.standardError.write(Data("\(message)\n".utf8))
}

/// Runs a command body, turning the register's refusals into a message on
/// stderr and a non-zero exit code.
///
/// The rules and the store name fields by their names in the record
/// (`dateOfBirth`) and say what would help as a ``NextStep``; here they
/// become the options and commands of the command line. `fields` names the
/// options of this command that differ from the usual ones (``optionName(_:)``).
func reporting(fields: [String: String] = [:], _ body: () throws -> Void) throws {
  do {
    try body()
  } catch let e as InvalidInput {
    var text = "\(fields[e.field] ?? optionName(e.field)): \(e.problem)"
    if let fix = e.fix { text += ". \(fix)" }
    if let next = e.next { text += " (\(command(for: next)))" }
    printError(text)
    throw ExitCode(Exit.badInput)
  } catch let e as FileProblems {
    FileHandle.standardError.write(Data((e.description + "\n").utf8))
    throw ExitCode(Exit.badInput)
  } catch let e as CTFProblem {
    printError(e.description + "; nothing was imported")
    throw ExitCode(Exit.badInput)
  } catch let e as AccessDenied {
    var text = e.description
    switch e {
    case .unknownUser(let name):
      text += ". Ask an admin to run 'cme user add \(name) --role ROLE'"
    case .unknownAccount(let account):
      text += ": 'cme user add NAME --role ROLE --account \(account)'"
    default: break
    }
    printError(text)
    throw ExitCode(Exit.denied)
  } catch let e as StoreError {
    switch e {
    case .notFound(let what, _): printError("\(e.description). \(hint(forMissing: what))")
    case .conflict(let text, let next?): printError("\(text) (\(command(for: next)))")
    case .noRegister:
      printError(
        "\(e.description). Give the register with --db PATH or CME_DB, or create one with 'cme init' or 'cme demo'")
    default: printError(e.description)
    }
    throw ExitCode(Exit.failure)
  } catch let e as OutputFileError {
    printError(e.description)
    throw ExitCode(Exit.failure)
  } catch let e as ExitCode {
    throw e
  } catch let e as CocoaError {
    printError(e.localizedDescription)
    throw ExitCode(Exit.failure)
  }
}

/// The option for a field of a record: the field's name in kebab case
/// (`lastAttended` → `--last-attended`), but for the fields whose option
/// is shorter or shared. A field already named as the user typed it (an
/// option, a positional argument such as `CASE`, a file's column) is kept.
func optionName(_ field: String) -> String {
  let options = [
    "dateOfBirth": "--dob", "formerUPNs": "--former-upn", "satisfactoryExplanation": "--explanation",
    "openedOn": "--opened", "closedOn": "--on", "reopenedOn": "--on", "doneOn": "--on", "dueOn": "--due",
    "leadCaseworker": "--lead", "visitId": "--visit", "confirmedRows": "--confirm-rows",
    "referralReceivedOn": "--referral-received",
    "legalSurname": "--surname", "legalForename": "--forename", "formerNames": "--former-name",
    "addressText": "--address", "carerName": "--carer", "carerRelationship": "--carer", "carerPhone": "--carer",
  ]
  if let option = options[field] { return option }
  guard let first = field.unicodeScalars.first, CharacterSet.lowercaseLetters.contains(first),
    field.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) })
  else { return field }
  var kebab = "--"
  for ch in field {
    if ch.isUppercase {
      kebab += "-" + ch.lowercased()
    } else {
      kebab.append(ch)
    }
  }
  return kebab
}

/// The command that takes the step.
func command(for step: NextStep) -> String {
  switch step {
  case .listCases: "'cme case list' shows the cases"
  case .showCase(let reference): "see it with 'cme case show \(reference)'"
  case .reopenCase(let reference): "'cme case reopen \(reference) --reason TEXT'"
  case .confirmProposedClosure(let reference):
    "confirm with 'cme case close \(reference) --outcome on-roll-la-school --evidence …'"
  case .findChildren: "find children with 'cme child find TEXT'"
  case .showChild(let id): "see them with 'cme child show \(id)'"
  case .updateChild: "see 'cme child update --help'"
  case .listActions: "list actions with 'cme action list'"
  case .listUsers: "see users with 'cme user list'"
  case .addUser(let name): "'cme user add \(name) --role ROLE'"
  case .startCycle: "'cme register cycle start'"
  case .closeCycle: "'cme register cycle close'"
  case .showRegisterCheck: "'cme register check' shows them"
  case .recordCheck: "'cme register record CASE', or --unchecked CASE=REASON"
  case .listMeetings: "list meetings with 'cme board meeting list'"
  case .showAgenda(let id): "--add adds it; 'cme board agenda \(id)' shows the agenda"
  case .listImports: "list the files imported with 'cme import list'"
  case .loadBaseline: "'cme baseline import FILE.csv'"
  case .showLetterTemplate: "see it with 'cme letter template show KIND'"
  }
}

/// How to find the key of a record that was not found.
func hint(forMissing what: String) -> String {
  switch what {
  case "case": "List cases with 'cme case list'"
  case "child": "Find children with 'cme child find TEXT'"
  case "action": "List actions with 'cme action list'"
  case "board meeting": "List meetings with 'cme board meeting list'"
  case "imported file": "List the files imported with 'cme import list'"
  default: "Check the \(what) and try again"
  }
}

/// Parses a value with a domain parser inside `reporting`.
func parseOptional<T>(_ text: String?, _ parser: (String) throws -> T) throws -> T? {
  guard let text else { return nil }
  return try parser(text)
}

/// The bytes of an input file, or a message naming it. A file that is not a
/// regular file (a folder, `/dev/zero`, a FIFO) or is larger than the CSV
/// reader reads is refused before it is read.
func readInputFile(_ path: String) throws -> [UInt8] {
  let bytes: [UInt8]?
  do { bytes = try InputFile.read(path, limit: CSVReader.maxFileBytes) } catch { throw FileProblems([error]) }
  guard let bytes else {
    throw InvalidInput(
      field: "FILE", problem: "cannot read \(path)", fix: "Check the path and that the file is readable")
  }
  return bytes
}
