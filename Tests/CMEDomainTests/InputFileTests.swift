import CMEDomain
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What is given as the file to import must be a regular file of a sensible size; anything else is refused before it is read.
struct InputFileTests {
  /// A new empty folder, removed after `body`.
  func withFolder(_ body: (String) throws -> Void) rethrows {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cme-input-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try body(folder)
  }

  func refusal(_ path: String, limit: Int = CSVReader.maxFileBytes) -> String {
    do {
      return try InputFile.read(path, limit: limit).map { "\($0.count) bytes" } ?? "cannot be opened"
    } catch {
      return error.description
    }
  }

  @Test func a_device_a_folder_and_a_fifo_are_refused_without_waiting() throws {
    #expect(
      refusal("/dev/zero")
        == "/dev/zero:1:1: this is a device, not a regular file; save what is to be imported to a file and give its path"
    )
    withFolder { folder in
      #expect(
        refusal(folder)
          == "\(folder):1:1: this is a folder, not a regular file; save what is to be imported to a file and give its path"
      )
      let fifo = folder + "/returns.csv"
      #expect(mkfifo(fifo, 0o600) == 0)
      // Opening a FIFO for reading would wait for a writer for ever.
      #expect(
        refusal(fifo)
          == "\(fifo):1:1: this is a pipe (FIFO), not a regular file; save what is to be imported to a file and give its path"
      )
      #expect(
        throws: CTFProblem(
          file: fifo, line: 1, column: 1,
          message: "this is a pipe (FIFO), not a regular file; save what is to be imported to a file and give its path")
      ) {
        try CTFFile.check(path: fifo)
      }
    }
    #expect(throws: CTFProblem.self) { try CTFFile.check(path: "/dev/zero") }
  }

  @Test func a_file_over_the_limit_is_refused_before_it_is_read() throws {
    try withFolder { folder in
      // Sparse: as large as it says, without taking the disk space.
      let path = folder + "/big.xml"
      #expect(FileManager.default.createFile(atPath: path, contents: nil))
      let handle = try #require(FileHandle(forWritingAtPath: path))
      try handle.truncate(atOffset: UInt64(CTFReader.Limits.standard.fileBytes + 1))
      try handle.close()
      #expect(
        throws: CTFProblem(
          file: path, line: 1, column: 1,
          message: "the file is larger than 67,108,864 bytes (64 MiB), the most cme reads; check it is the right file")
      ) {
        try CTFFile.check(path: path)
      }
      #expect(
        refusal(path, limit: 1 << 20)
          == "\(path):1:1: the file is larger than 1,048,576 bytes (1 MiB), the most cme reads; check it is the right file"
      )
    }
  }

  @Test func a_regular_file_is_read_and_a_missing_one_left_to_the_caller() throws {
    try withFolder { folder in
      let path = folder + "/r.csv"
      try "a,b\n".write(toFile: path, atomically: true, encoding: .utf8)
      #expect(refusal(path) == "4 bytes")
      #expect(refusal(folder + "/none.csv") == "cannot be opened")
      #expect(throws: Never.self) { try CTFFile.check(path: folder + "/none.xml") }
    }
  }
}
