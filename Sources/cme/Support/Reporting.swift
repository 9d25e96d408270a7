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
  FileHandle.standardError.write(Data("error: \(message)\n".utf8))
}

func printNote(_ message: String) {
  FileHandle.standardError.write(Data("\(message)\n".utf8))
}

/// Runs a command body, turning the register's refusals into a message on
/// stderr and a non-zero exit code.
func reporting(_ body: () throws -> Void) throws {
  do {
    try body()
  } catch let e as InvalidInput {
    printError(e.description)
    throw ExitCode(Exit.badInput)
  } catch let e as FileProblems {
    FileHandle.standardError.write(Data((e.description + "\n").utf8))
    throw ExitCode(Exit.badInput)
  } catch let e as CTFProblem {
    printError(e.description + "; nothing was imported")
    throw ExitCode(Exit.badInput)
  } catch let e as AccessDenied {
    printError(e.description)
    throw ExitCode(Exit.denied)
  } catch let e as StoreError {
    printError(e.description)
    throw ExitCode(Exit.failure)
  } catch let e as ExitCode {
    throw e
  } catch let e as CocoaError {
    printError(e.localizedDescription)
    throw ExitCode(Exit.failure)
  }
}

/// Parses a value with a domain parser inside `reporting`.
func parseOptional<T>(_ text: String?, _ parser: (String) throws -> T) throws -> T? {
  guard let text else { return nil }
  return try parser(text)
}

/// The bytes of an input file, or a message naming it.
func readInputFile(_ path: String) throws -> [UInt8] {
  guard let data = FileManager.default.contents(atPath: path) else {
    throw InvalidInput(
      field: "FILE", problem: "cannot read \(path)", fix: "Check the path and that the file is readable")
  }
  return Array(data)
}
