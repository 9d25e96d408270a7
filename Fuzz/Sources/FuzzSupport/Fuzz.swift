import CMEDomain
import Foundation
import FuzzDriver

nonisolated(unsafe) private var test: (([UInt8]) -> Void)?

/// Running a reader under libFuzzer. A crash, a trap, an input that takes
/// longer than libFuzzer's `-timeout` or a refusal that breaks the rules
/// below stops the run and leaves the input as a crash artefact.
public enum Fuzz {
  /// The day the readers are told it is.
  public static let today = LocalDate(year: 2026, month: 11, day: 16)!

  /// Runs libFuzzer (its options come from the command line) on `body`.
  public static func run(_ body: @escaping ([UInt8]) -> Void) -> Never {
    test = body
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
      test?(Array(UnsafeBufferPointer(start: data, count: size)))
      return 0
    }
    exit(status)
  }

  /// Every refusal says where and what in words: a line and a column of at
  /// least 1, and a message that is words, not an error domain and number.
  public static func expectWords(line: Int, column: String, message: String) {
    let columnIsPlace = Int(column).map { $0 >= 1 } ?? !column.isEmpty
    let words = message.filter(\.isLetter).count >= 10
    let numbered = message.contains("ErrorDomain") || message.contains("error ") && message.contains { $0.isNumber }
    guard line >= 1, columnIsPlace, words, !numbered else {
      fatalError("a refusal without a place or words: \(line):\(column): \(message)")
    }
  }

  /// Each of the file's problems says where and what in words.
  public static func expectWords(_ problems: FileProblems) {
    guard !problems.problems.isEmpty else { fatalError("a refusal that lists no problem") }
    for p in problems.problems { expectWords(line: p.line, column: p.column, message: p.message) }
  }
}
