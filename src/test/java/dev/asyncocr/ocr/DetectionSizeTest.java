package dev.asyncocr.ocr;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetectionSizeTest {

    @Test
    void minScalesTheShortSideUpAndNeverDown() {
        DetectionSize reference = DetectionSize.parse("min:736");
        assertEquals(DetectionSize.REFERENCE, reference);
        assertEquals(736.0 / 100, reference.scale(300, 100), 1e-9);
        assertEquals(1.0, reference.scale(2000, 1000), 1e-9);
    }

    @Test
    void maxScalesTheLongSideDownAndNeverUp() {
        DetectionSize paddle = DetectionSize.parse(" MAX : 960 ");
        assertEquals(new DetectionSize(DetectionSize.Limit.MAX, 960), paddle);
        assertEquals(0.48, paddle.scale(1000, 2000), 1e-9);
        assertEquals(1.0, paddle.scale(300, 100), 1e-9);
        assertEquals("max:960", paddle.toString());
    }

    @Test
    void textReadsThePageAtItsSizeAndAgainOnlyWhenItsSmallestTextIsUnderTheHeight() {
        DetectionSize text = DetectionSize.parse("text:32");
        assertEquals(DetectionSize.DEFAULT, text);
        assertEquals(1.0, text.scale(300, 100), 1e-9);
        assertEquals(1.0, text.scale(2000, 1500), 1e-9);
        assertEquals(0, text.rescale(32), 1e-9);
        assertEquals(0, text.rescale(50), 1e-9);
        assertEquals(4.0, text.rescale(8), 1e-9);
        assertEquals(0, text.rescale(0), 1e-9, "a page with no text found is read once");
        assertEquals(0, DetectionSize.REFERENCE.rescale(8), 1e-9);
        assertEquals("text:32", text.toString());
    }

    @Test
    void theInputKeepsPythonRoundingWithinTheBoundsAndRoundsDownAtThem() {
        assertEquals(new DetectionSize.Input(3424, 736), DetectionSize.input(362, 78, 736.0 / 78));
        assertEquals(new DetectionSize.Input(32, 32), DetectionSize.input(10, 10, 1.0));
        // a strip brought to 736 pixels high would be 46,000 wide: held at 4,000
        DetectionSize.Input strip = DetectionSize.input(2000, 32, 23.0);
        assertEquals(DetectionSize.MAX_INPUT_SIDE, strip.width());
        assertEquals(64, strip.height());
        // a square over 2000 x 2000 pixels is held under the pixel bound
        DetectionSize.Input square = DetectionSize.input(2000, 2000, 1.5);
        assertEquals(new DetectionSize.Input(1984, 1984), square);
    }

    @Test
    void malformedSizesAreRefusedWithTheExpectedForm() {
        for (String bad : new String[] {"736", "mid:736", "max:", "max:big", "max:16", "text:4"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DetectionSize.parse(bad));
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }
}
