import CMEStore
import CMETestSupport
import Foundation
import Testing

/// Long work says how far it has got on a terminal, and nothing more when
/// its standard error is not one.
struct ProgressCLITests {
  @Test func a_line_says_the_stage_how_far_and_the_time_left() {
    #expect(
      WorkProgress.line(stage: "Writing children", done: 412_000, total: 1_000_000, elapsed: 100)
        == "Writing children: 412,000 of 1,000,000 (41%), about 2 min 23 s left")
    #expect(
      WorkProgress.line(stage: "Writing children", done: 0, total: 1000, elapsed: 0)
        == "Writing children: 0 of 1,000 (0%)")
    #expect(
      WorkProgress.line(stage: "Importing rows", done: 10, total: 10, elapsed: 75)
        == "Importing rows: 10 of 10 (100%), 1 min 15 s")
    #expect(WorkProgress.line(stage: "Building the indexes", done: 0, total: 0, elapsed: 3) == "Building the indexes…")
    // Never more than all of it, and hours when it is that long.
    #expect(
      WorkProgress.line(stage: "s", done: 5, total: 4, elapsed: 4000) == "s: 4 of 4 (100%), 1 h 7 min")
  }

  /// Runs `cme` under a pseudo-terminal (util-linux's `script`): what a user at a terminal sees.
  func atTerminal(_ cli: CLI, _ args: [String]) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
    let command = ([CLI.binary] + args + ["--db", cli.db, "--user", "mgr"]).map { "'\($0)'" }.joined(separator: " ")
    p.arguments = ["-qec", command, "/dev/null"]
    var env = CLI.environment()
    env["TERM"] = "xterm"
    p.environment = env
    let out = Pipe()
    p.standardOutput = out
    p.standardInput = FileHandle.nullDevice
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    #expect(p.terminationStatus == 0)
    return String(decoding: o, as: UTF8.self)
  }

  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
  func a_demo_verify_and_backup_show_progress_at_a_terminal_only() throws {
    let cli = CLI()
    let demo = try atTerminal(cli, ["demo", "--children", "2500", "--no-passwords"])
    #expect(demo.contains("Writing children: 0 of 2,500 (0%)"))
    #expect(demo.contains("Writing children: 2,500 of 2,500 (100%)"))
    #expect(demo.contains("Building the indexes…"))
    // The result starts on a line of its own.
    #expect(demo.contains("\nCreated a demo register at"))
    let verify = try atTerminal(cli, ["audit", "verify"])
    #expect(verify.contains("Checking the chain of the log: 2 of 2 (100%)"))
    #expect(
      verify.range(
        of: #"Comparing every row with the log \(by table\): (\d+) of \1 \(100%\)"#, options: .regularExpression)
        != nil)
    #expect(verify.contains("\nThe audit log is intact"))
    let backup = try atTerminal(cli, ["backup", "--out", cli.directory.file("copy.sqlite")])
    #expect(backup.contains("Copying the register (pages):"))
    // Through a pipe: the same commands, not a word of progress.
    let piped = try cli.run(["audit", "verify"])
    #expect(piped.status == 0)
    #expect(piped.stderr.isEmpty)
    let again = try cli.run(["demo", "--children", "50", "--no-passwords"])
    #expect(again.stderr.isEmpty)
  }
}
