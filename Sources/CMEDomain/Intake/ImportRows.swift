import Foundation

/// Reading the rows of an import file by column name, collecting every
/// problem as `FILE:LINE:COLUMN: message`.
public enum ImportRows {
  /// Column names compare without regard to case, spaces or underscores.
  static func key(_ s: String) -> String { s.lowercased().filter { $0.isLetter || $0.isNumber } }

  /// The columns that hold a person's name (at most 100 characters).
  static let nameColumns: Set<String> = ["surname", "forename", "parent_name"]
  /// The columns that hold an address (at most 500 characters, over lines if need be).
  static let addressColumns: Set<String> = ["address", "parent_address", "destination_address"]

  /// Reads the file record by record: checks that its header has every
  /// required column, then hands each data record to `body` with the
  /// position of each declared column present. A malformed file, or a header
  /// that lacks a column, throws that one problem (and `body` may have seen
  /// some records already: callers keep nothing until this returns).
  static func read(
    csv data: [UInt8], file: String, columns: [(name: String, required: Bool)],
    _ body: (CSVReader.Record, [String: Int]) -> Void
  ) throws(FileProblems) {
    var index: [String: Int]?
    var headerProblem: FileProblem?
    do {
      try CSVReader.forEachRecord(data) { record in
        guard let index else {
          guard headerProblem == nil else { return }
          var byKey: [String: Int] = [:]
          for (i, name) in record.fields.enumerated() { byKey[key(name)] = i }
          // Column names are resolved once here, not for every field of every row.
          var found: [String: Int] = [:]
          for c in columns { found[c.name] = byKey[key(c.name)] }
          let missing = columns.filter { $0.required && found[$0.name] == nil }.map(\.name)
          if missing.isEmpty {
            index = found
          } else {
            headerProblem = FileProblem(
              file: file, line: record.line, column: "1",
              message:
                "the header lacks the column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")); see docs/intake.md for the column set"
            )
          }
          return
        }
        body(record, index)
      }
    } catch {
      throw FileProblems([
        FileProblem(file: file, line: error.line, column: String(error.column), message: error.message)
      ])
    }
    if let headerProblem { throw FileProblems([headerProblem]) }
    if index == nil {
      throw FileProblems([FileProblem(file: file, line: 1, column: "1", message: "the file is empty")])
    }
  }

  /// The most problems listed for one file. A wrong file, or one every row
  /// of which is wrong, has millions; they are counted, not kept.
  public static let maxListed = 1_000

  /// The problems found in a file: the first ``maxListed`` kept, the rest counted.
  struct Problems {
    private(set) var listed: [FileProblem] = []
    private(set) var unlisted = 0

    var isEmpty: Bool { listed.isEmpty }

    mutating func append(_ problem: FileProblem) {
      if listed.count < maxListed { listed.append(problem) } else { unlisted += 1 }
    }

    mutating func append(contentsOf problems: [FileProblem]) {
      for p in problems { append(p) }
    }

    var thrown: FileProblems { FileProblems(listed, unlisted: unlisted) }
  }

  /// The rows of a file as they are read: each kept unless it repeats an
  /// earlier one (the same key), which is a problem of the file; once the
  /// file has a problem, no more rows are kept, since nothing will be
  /// imported.
  struct Collected<Row> {
    var problems = Problems()
    private(set) var rows: [Row] = []
    /// Rows taken (kept, or handed to ``each``).
    private(set) var count = 0
    /// False to keep no row (a streaming pass): only problems and repeats are found.
    let keepingRows: Bool
    /// Called with each row taken while the file has no problem (a streaming pass).
    var each: ((Row) -> Void)?
    /// Each row's key as a fixed-size digest, with its line: a million rows
    /// cost 32 MB here, not their text.
    private var seen: [RowKey: Int] = [:]

    init(keepingRows: Bool = true) { self.keepingRows = keepingRows }

    /// Keeps `row` (from `line` of `file`) unless its `key` was seen;
    /// `sameness` says what a repeat shares, for the message.
    mutating func keep(_ row: Row, key: String, line: Int, file: String, sameness: String) {
      let k = RowKey(key)
      if let first = seen[k] {
        problems.append(
          FileProblem(file: file, line: line, column: "1", message: "repeats line \(first) (same \(sameness))"))
        return
      }
      seen[k] = line
      guard problems.isEmpty else { return }
      count += 1
      if keepingRows { rows.append(row) }
      each?(row)
    }

    /// The rows, or every problem found.
    func result() throws(FileProblems) -> [Row] {
      guard problems.isEmpty else { throw problems.thrown }
      return rows
    }

    /// How many rows were taken, or every problem found.
    func counted() throws(FileProblems) -> Int {
      guard problems.isEmpty else { throw problems.thrown }
      return count
    }
  }

  /// A row's key for spotting a repeat: two 64-bit hashes of its text under
  /// different salts (SipHash, seeded afresh in each process). Two different
  /// rows share both with a chance of about one in 10^38 per pair.
  struct RowKey: Hashable {
    let a: UInt64
    let b: UInt64

    init(_ text: String) {
      var h1 = Hasher()
      h1.combine(0x9E37_79B9 as UInt32)
      h1.combine(text)
      var h2 = Hasher()
      h2.combine(0x85EB_CA6B as UInt32)
      h2.combine(text)
      a = UInt64(bitPattern: Int64(h1.finalize()))
      b = UInt64(bitPattern: Int64(h2.finalize()))
    }
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
      // Every cell the import reads meets the text rules: names (and the
      // parent's) are names, everything else one line.
      for (name, i) in index.sorted(by: { $0.value < $1.value }) where i < record.fields.count {
        let kind: TextKind =
          ImportRows.nameColumns.contains(name) ? .name : ImportRows.addressColumns.contains(name) ? .address : .line
        if let found = TextRules.problem(in: trimmingWhiteSpace(record.fields[i]), kind: kind) {
          problem(name, "\(found.message). \(found.fix)")
        }
      }
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
