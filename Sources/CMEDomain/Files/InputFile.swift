import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Opening a file to import: only a regular file no larger than a limit is
/// read. A folder, a device (`/dev/zero` never ends), a FIFO or a socket
/// given as the file is refused before anything is read from it, and so is
/// a file larger than the limit, so an import never waits for ever or fills
/// the memory.
public enum InputFile {
  /// Refuses `path` unless it is a regular file (links are followed) of at
  /// most `limit` bytes. It is not opened: opening a FIFO would wait for a
  /// writer. A path that does not exist or cannot be examined is left for
  /// the caller's opening of it to report.
  public static func check(_ path: String, limit: Int) throws(FileProblem) {
    var info = stat()
    guard stat(path, &info) == 0 else { return }
    try check(info, path: path, limit: limit)
  }

  /// The bytes of `path`, refused as ``check(_:limit:)`` refuses; nil if it
  /// cannot be opened. The file is opened without waiting and examined once
  /// open, so it cannot be swapped for a FIFO in between; one that grows
  /// past `limit` while it is read is refused too.
  public static func read(_ path: String, limit: Int) throws(FileProblem) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { return nil }
    try check(info, path: path, limit: limit)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(Int(info.st_size))
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let got = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
      if got < 0 && errno == EINTR { continue }
      guard got >= 0 else { return nil }
      if got == 0 { return bytes }
      guard bytes.count + got <= limit else { throw tooLarge(path, limit: limit) }
      bytes.append(contentsOf: chunk[0..<got])
    }
  }

  private static func check(_ info: stat, path: String, limit: Int) throws(FileProblem) {
    let kind = info.st_mode & S_IFMT
    guard kind == S_IFREG else {
      let what =
        switch kind {
        case S_IFDIR: "a folder"
        case S_IFCHR, S_IFBLK: "a device"
        case S_IFIFO: "a pipe (FIFO)"
        case S_IFSOCK: "a socket"
        default: "something other than a file"
        }
      throw FileProblem(
        file: path, line: 1, column: "1",
        message: "this is \(what), not a regular file; save what is to be imported to a file and give its path")
    }
    if info.st_size > limit { throw tooLarge(path, limit: limit) }
  }

  private static func tooLarge(_ path: String, limit: Int) -> FileProblem {
    FileProblem(
      file: path, line: 1, column: "1",
      message: "the file is larger than \(TextBytes.size(limit)), the most cme reads; check it is the right file")
  }

  private static func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
      Glibc.read(fd, buffer, count)
    #elseif canImport(Musl)
      Musl.read(fd, buffer, count)
    #else
      Darwin.read(fd, buffer, count)
    #endif
  }
}
