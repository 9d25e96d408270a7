import CMEDomain
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file that `cme` writes (an export, a pack, a checkpoint), written so that
/// it can never damage the register or leave half a file behind.
///
/// 1. ``check(_:register:force:)`` refuses, before anything is opened, a
///    destination that is the register itself or its `-wal`/`-shm` (compared
///    as resolved real paths, so `x/../register.sqlite` and symbolic links
///    count), a folder, or an existing file without `--force`.
/// 2. The content goes to a temporary file in the destination's folder, mode
///    0600: on Linux an unnamed one (`O_TMPFILE`), which disappears if `cme`
///    is killed; elsewhere, or for a file another program writes (the pdf),
///    a hidden name next to the destination.
/// 3. ``sync()`` makes it durable (`fsync`); an audited command does this
///    before its audit entry commits.
/// 4. ``publish()`` gives it its name: renamed over the destination in one
///    step, and the folder synced. Until then the destination is as it was.
final class OutputFile {
  /// The destination, as the user gave it.
  let path: String
  /// The temporary file's name, when it has one (``namedTemporary``).
  private(set) var temporaryPath: String?
  private var fd: Int32
  private var published = false

  /// Opens a temporary file in `path`'s folder for writing.
  init(for path: String, named: Bool = false) throws {
    self.path = path
    let folder = OutputFile.folder(of: path)
    fd = -1
    #if os(Linux)
      if !named {
        // O_TMPFILE (__O_TMPFILE | O_DIRECTORY): Glibc does not import it.
        fd = open(folder, O_WRONLY | O_CLOEXEC | O_DIRECTORY | 0o20_000_000, 0o600)
      }
    #endif
    if fd < 0 {
      // The hidden name keeps the extension, so that a program given it (a
      // browser printing the pdf) reads it as what it is.
      let ext = (path as NSString).pathExtension
      let suffix = ext.isEmpty ? "" : "." + ext
      var template = Array((OutputFile.hiddenName(for: path, in: folder) + suffix).utf8CString)
      fd = mkstemps(&template, Int32(suffix.utf8.count))
      guard fd >= 0 else { throw OutputFileError(path: path, action: "create a file beside", code: errno) }
      temporaryPath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      fchmod(fd, 0o600)
    }
  }

  /// A hidden temporary name beside the destination, for mkstemp.
  private static func hiddenName(for path: String, in folder: String) -> String {
    let base = (path as NSString).lastPathComponent
    return (folder as NSString).appendingPathComponent(".\(base).cme-XXXXXX")
  }

  deinit { discard() }

  func write(_ text: String) throws {
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress! + offset, $0.count - offset) }
      if n < 0 {
        if errno == EINTR { continue }
        throw OutputFileError(path: path, action: "write", code: errno)
      }
      offset += n
    }
  }

  /// Makes what was written durable on disk.
  func sync() throws {
    guard fsync(fd) == 0 else { throw OutputFileError(path: path, action: "write", code: errno) }
    // Another program may have replaced the named file: sync what the name holds.
    if let temporaryPath {
      let other = open(temporaryPath, O_RDONLY | O_CLOEXEC)
      guard other >= 0, fsync(other) == 0 else {
        if other >= 0 { close(other) }
        throw OutputFileError(path: path, action: "write", code: errno)
      }
      close(other)
    }
  }

  /// Puts the file in place of the destination, in one step.
  func publish() throws {
    guard !published else { return }
    try sync()
    if temporaryPath == nil {
      // Give the unnamed file a hidden name, then rename it over the destination.
      let folder = OutputFile.folder(of: path)
      let name = OutputFile.hiddenName(for: path, in: folder).replacingOccurrences(
        of: "XXXXXX", with: String(UInt32.random(in: 0...UInt32.max), radix: 36))
      guard linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0 else {
        throw OutputFileError(path: path, action: "write", code: errno)
      }
      temporaryPath = name
    }
    guard rename(temporaryPath!, path) == 0 else {
      throw OutputFileError(path: path, action: "put in place", code: errno)
    }
    published = true
    temporaryPath = nil
    close(fd)
    fd = -1
    let dir = open(OutputFile.folder(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if dir >= 0 {
      fsync(dir)
      close(dir)
    }
  }

  /// Removes the temporary file (if it has a name) and closes it.
  func discard() {
    if let temporaryPath, !published { unlink(temporaryPath) }
    temporaryPath = nil
    if fd >= 0 { close(fd) }
    fd = -1
  }

  // MARK: - Checking a destination

  /// Refuses a destination that would overwrite the register, a folder, or
  /// an existing file without `force`, naming the path.
  static func check(
    _ path: String, register: String, force: Bool, field: String = "--out", parentMayBeMissing: Bool = false
  ) throws {
    if path.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
      throw InvalidInput(
        field: field, problem: "the file name holds control characters (a line break, an escape)",
        fix: "Give a file name without them; nothing was written")
    }
    let target = realPath(path)
    let db = realPath(register)
    if [db, db + "-wal", db + "-shm", db + "-journal"].contains(target) {
      throw InvalidInput(
        field: field, problem: "\(path) is the register \(register)\(target == db ? "" : "'s own journal")",
        fix: "Write to another file; nothing was written")
    }
    var info = stat()
    if stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
      throw InvalidInput(field: field, problem: "\(path) is a folder", fix: "Name a file in it")
    }
    if lstat(path, &info) == 0 {
      // --force replaces an earlier output, never a device, a pipe or a
      // socket: renaming over /dev/null, say, would leave the export there.
      let kind = info.st_mode & S_IFMT
      if kind != S_IFREG && kind != S_IFLNK {
        throw InvalidInput(
          field: field, problem: "\(path) is not a regular file (a device, a pipe or a socket)",
          fix: "Name a regular file; nothing was written")
      }
      if kind == S_IFLNK && stat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG {
        throw InvalidInput(
          field: field, problem: "\(path) leads to something that is not a regular file",
          fix: "Name a regular file; nothing was written")
      }
      if !force {
        throw InvalidInput(field: field, problem: "\(path) already exists", fix: "Add --force to replace it")
      }
    }
    let folder = folder(of: path)
    guard parentMayBeMissing || (stat(folder, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR) else {
      throw InvalidInput(field: field, problem: "the folder \(folder) does not exist", fix: "Create it first")
    }
  }

  /// The folder a file goes in ("." for a bare name).
  static func folder(of path: String) -> String {
    let dir = (path as NSString).deletingLastPathComponent
    return dir.isEmpty ? "." : dir
  }

  /// The path with every symbolic link and `..` resolved, for the part that
  /// exists; the rest appended as given.
  static func realPath(_ path: String) -> String {
    let absolute =
      path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
    var head = absolute
    var tail: [String] = []
    while true {
      if let resolved = realpath(head, nil) {
        defer { free(resolved) }
        var out = String(cString: resolved)
        for part in tail.reversed() { out = (out as NSString).appendingPathComponent(part) }
        return out
      }
      let parent = (head as NSString).deletingLastPathComponent
      if parent == head || parent.isEmpty { return (absolute as NSString).standardizingPath }
      tail.append((head as NSString).lastPathComponent)
      head = parent
    }
  }
}

/// The operating system refused to write an output file.
struct OutputFileError: Error, CustomStringConvertible {
  var path: String
  var action: String
  var code: Int32

  var description: String {
    "cannot \(action) \(path): \(String(cString: strerror(code))); nothing was written"
  }
}

private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, buffer, count)
}
