import Foundation

/// Reading the rows of an import file by column name, collecting every
/// problem as `FILE:LINE:COLUMN: message`.
public enum ImportRows {
  /// Column names compare without regard to case, spaces or underscores.
  static func key(_ s: String) -> String { s.lowercased().filter { $0.isLetter || $0.isNumber } }

  /// Parses the file and checks its header has every required column.
  /// Returns the data records and, for each declared column present, its position.
  static func open(csv data: [UInt8], file: String, columns: [(name: String, required: Bool)]) throws(FileProblems) -> (
    [CSVReader.Record], [String: Int]
  ) {
    let records: [CSVReader.Record]
    do {
      records = try CSVReader.parse(data)
    } catch {
      throw FileProblems([FileProblem(file: file, line: error.line, column: String(error.column), message: error.message)])
    }
    guard let header = records.first else {
      throw FileProblems([FileProblem(file: file, line: 1, column: "1", message: "the file is empty")])
    }
    var byKey: [String: Int] = [:]
    for (i, name) in header.fields.enumerated() { byKey[key(name)] = i }
    // Column names are resolved once here, not for every field of every row.
    var index: [String: Int] = [:]
    for c in columns { index[c.name] = byKey[key(c.name)] }
    let missing = columns.filter { $0.required && index[$0.name] == nil }.map(\.name)
    if !missing.isEmpty {
      throw FileProblems([FileProblem(
        file: file, line: header.line, column: "1",
        message: "the header lacks the column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")); see docs/intake.md for the column set")])
    }
    return (Array(records.dropFirst()), index)
  }

  /// One data row.
  struct Row {
    let file: String
    let record: CSVReader.Record
    let index: [String: Int]
    var problems: [FileProblem] = []

    init(file: String, record: CSVReader.Record, index: [String: Int]) {
      self.file = file
      self.record = record
      self.index = index
    }

    func value(_ name: String) -> String? {
      guard let i = index[name], i < record.fields.count else { return nil }
      return optionalText(record.fields[i])
    }

    mutating func problem(_ column: String, _ message: String) {
      problems.append(FileProblem(file: file, line: record.line, column: column, message: message))
    }

    mutating func need(_ name: String) -> String? {
      guard let v = value(name) else {
        problem(name, "is empty; it is required")
        return nil
      }
      return v
    }

    mutating func parse<T>(_ name: String, required: Bool, _ f: (String, String) throws(InvalidInput) -> T) -> T? {
      guard let text = required ? need(name) : value(name) else { return nil }
      do { return try f(text, name) } catch {
        problem(name, error.fix.map { "\(error.problem). \($0)" } ?? error.problem)
        return nil
      }
    }
  }
}
