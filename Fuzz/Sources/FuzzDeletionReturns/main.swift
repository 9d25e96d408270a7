import CMEDomain
import FuzzSupport

// A school's deletion return on any bytes: rows (with what each means), or every problem located and in words.
Fuzz.run { bytes in
  do {
    let rows = try DeletionReturnFile.read(csv: bytes, file: "fuzz.csv", today: Fuzz.today)
    for row in rows {
      _ = GroundAction.decide(row)
      _ = offRollingFlags(row, calendar: .englandDefault)
      _ = row.child
    }
  } catch let problems as FileProblems {
    Fuzz.expectWords(problems)
  } catch {
    fatalError("a refusal that is not FileProblems: \(error)")
  }
}
