import Expr
import Testing

/// The row segments that reductions across rows read (scatter-add and gather indices).
@Suite struct RowLayoutTests {
  // groups [7, 9, 7, 4, 4, 7] → group index [0, 1, 0, 2, 2, 0], positions [0, 0, 1, 0, 1, 2]
  let layout = RowLayout(groups: [7, 9, 7, 4, 4, 7], tokens: 1)

  @Test("segment indices and counts of groups, positions and the whole batch")
  func indices() {
    #expect(layout.segmentIndex(.groups) == [0, 1, 0, 2, 2, 0])
    #expect(layout.segmentIndex(.positions) == [0, 0, 1, 0, 1, 2])
    #expect(layout.segmentIndex(.all) == [0, 0, 0, 0, 0, 0])
    #expect([layout.segmentCount(.groups), layout.segmentCount(.positions), layout.segmentCount(.all)] == [3, 3, 1])
  }

  @Test("padded slots list each segment's rows in order, -1 past its end")
  func slots() {
    // group 0 has rows 0, 2, 5; group 1 row 1; group 2 rows 3, 4 → P = 3
    #expect(layout.segmentSlots(.groups) == ([0, 2, 5, 1, -1, -1, 3, 4, -1], 3))
    // position 0: rows 0, 1, 3; position 1: rows 2, 4; position 2: row 5
    #expect(layout.segmentSlots(.positions) == ([0, 1, 3, 2, 4, -1, 5, -1, -1], 3))
    #expect(layout.segmentSlots(.all) == ([0, 1, 2, 3, 4, 5], 6))
  }
}
