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
    void malformedSizesAreRefusedWithTheExpectedForm() {
        for (String bad : new String[] {"736", "mid:736", "max:", "max:big", "max:16"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DetectionSize.parse(bad));
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }
}
