import CMEDomain
import FuzzSupport

// The CSV reader on any bytes: records or one located problem, nothing else.
Fuzz.run { bytes in
  do {
    var lines: [Int] = []
    try CSVReader.forEachRecord(bytes) { lines.append($0.line) }
    guard lines == lines.sorted(), lines.allSatisfy({ $0 >= 1 }) else { fatalError("records out of order: \(lines)") }
  } catch let problem as CSVReader.Problem {
    Fuzz.expectWords(line: problem.line, column: String(problem.column), message: problem.message)
  } catch {
    fatalError("a refusal that is not a CSVReader.Problem: \(error)")
  }
}
