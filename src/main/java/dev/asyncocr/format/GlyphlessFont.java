package dev.asyncocr.format;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The font of a searchable PDF's invisible text layer: a Type0 font whose two-byte codes are Unicode code
 * points of the Basic Multilingual Plane (Identity-H, so code = CID), every CID drawn by the one empty glyph
 * of a TrueType program of two glyphs, all of one advance, with a ToUnicode CMap that maps each code back to
 * itself. A code point beyond the BMP (the dictionary has one, U+231C9) gets a code of the surrogate range,
 * which no BMP character uses, mapped to its surrogate pair: up to 2,048 distinct ones per document, past
 * which they are written as U+FFFD. Any text, Chinese and English alike, copies out as the Unicode it was
 * written from.
 * <p>
 * Written by hand because PDFBox has no such font: its fonts encode text through their own glyphs, and a
 * real font covering the recogniser's dictionary (6,623 characters, most of them CJK) would embed megabytes
 * of outlines that nobody sees. This one costs about a kilobyte per document, whatever the text.
 * <p>
 * One per document, shared by its pages; {@link #finish()} writes its ToUnicode CMap once every page's text
 * is encoded.
 */
final class GlyphlessFont {

    /** Every glyph's advance, in thousandths of the font size: one em, so a glyph is as wide as the size. */
    static final int ADVANCE = 1000;
    /**
     * How far below the baseline the font reaches, in thousandths of its size (its ascent is the rest of
     * the em): extractors take a word's box from these, so text set at the size of its box, on a baseline
     * this far above the box's bottom, is found on the box.
     */
    static final int DESCENT = 200;
    /** What a lone surrogate, or a code point beyond the BMP past the document's 2,048th, is written as. */
    static final char REPLACEMENT = '\uFFFD';

    private static final COSName NAME = COSName.getPDFName("GlyphLessFont");
    private static final int NUMBER_OF_GLYPHS = 2;
    /** bfrange or bfchar entries a CMap may hold in one block. */
    private static final int ENTRIES_PER_BLOCK = 100;
    private static final char FIRST_SURROGATE = '\uD800';
    private static final int SURROGATES = 0x800;

    private final COSDictionary dictionary;
    private final COSStream toUnicode;
    /** The code points beyond the BMP this document's text holds, by the code each was given. */
    private final Map<Integer, Character> beyondBmp = new LinkedHashMap<>();

    /** The font dictionary, its streams added to {@code document}. */
    GlyphlessFont(PDDocument document) throws IOException {
        COSDictionary descriptor = new COSDictionary();
        descriptor.setItem(COSName.TYPE, COSName.FONT_DESC);
        descriptor.setItem(COSName.FONT_NAME, NAME);
        descriptor.setInt(COSName.FLAGS, 5); // fixed pitch, symbolic
        descriptor.setItem(COSName.FONT_BBOX, numbers(0, -DESCENT, ADVANCE, ADVANCE - DESCENT));
        descriptor.setInt(COSName.ITALIC_ANGLE, 0);
        descriptor.setInt(COSName.ASCENT, ADVANCE - DESCENT);
        descriptor.setInt(COSName.DESCENT, -DESCENT);
        descriptor.setInt(COSName.CAP_HEIGHT, ADVANCE - DESCENT);
        descriptor.setInt(COSName.STEM_V, 80);
        byte[] program = trueType();
        COSStream fontFile = stream(document, program);
        fontFile.setInt(COSName.LENGTH1, program.length);
        descriptor.setItem(COSName.FONT_FILE2, fontFile);

        COSDictionary systemInfo = new COSDictionary();
        systemInfo.setString(COSName.REGISTRY, "Adobe");
        systemInfo.setString(COSName.ORDERING, "Identity");
        systemInfo.setInt(COSName.SUPPLEMENT, 0);

        COSDictionary cidFont = new COSDictionary();
        cidFont.setItem(COSName.TYPE, COSName.FONT);
        cidFont.setItem(COSName.SUBTYPE, COSName.CID_FONT_TYPE2);
        cidFont.setItem(COSName.BASE_FONT, NAME);
        cidFont.setItem(COSName.CIDSYSTEMINFO, systemInfo);
        cidFont.setItem(COSName.FONT_DESC, descriptor);
        cidFont.setInt(COSName.DW, ADVANCE);
        cidFont.setItem(COSName.CID_TO_GID_MAP, stream(document, everyCidToTheEmptyGlyph()));

        COSDictionary font = new COSDictionary();
        font.setItem(COSName.TYPE, COSName.FONT);
        font.setItem(COSName.SUBTYPE, COSName.TYPE0);
        font.setItem(COSName.BASE_FONT, NAME);
        font.setItem(COSName.ENCODING, COSName.IDENTITY_H);
        COSArray descendants = new COSArray();
        descendants.add(cidFont);
        font.setItem(COSName.DESCENDANT_FONTS, descendants);
        toUnicode = document.getDocument().createCOSStream();
        font.setItem(COSName.TO_UNICODE, toUnicode);
        dictionary = font;
    }

    /** The Type0 font dictionary, for the pages' resources. */
    COSDictionary dictionary() {
        return dictionary;
    }

    /** {@code text} as this font's codes: two bytes, one glyph, per code point. */
    byte[] encode(String text) {
        ByteBuffer codes = ByteBuffer.allocate(2 * glyphs(text));
        text.codePoints().forEach(c -> codes.putChar(code(c)));
        return codes.array();
    }

    private char code(int codePoint) {
        if (Character.isBmpCodePoint(codePoint)) {
            return Character.isSurrogate((char) codePoint) ? REPLACEMENT : (char) codePoint;
        }
        Character given = beyondBmp.get(codePoint);
        if (given == null && beyondBmp.size() < SURROGATES) {
            given = (char) (FIRST_SURROGATE + beyondBmp.size());
            beyondBmp.put(codePoint, given);
        }
        return given == null ? REPLACEMENT : given;
    }

    /** Writes the ToUnicode CMap, covering the codes given beyond the BMP so far. */
    void finish() throws IOException {
        try (OutputStream out = toUnicode.createOutputStream(COSName.FLATE_DECODE)) {
            out.write(toUnicode(beyondBmp).getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** How many glyphs {@code text} is written with, each {@link #ADVANCE} wide. */
    static int glyphs(String text) {
        return text.codePointCount(0, text.length());
    }

    /**
     * The ToUnicode CMap: every code of the BMP to the same code point, as one range per high byte (a bfrange
     * may only vary its last byte), the surrogates left out; and each code point in {@code beyondBmp}, by its
     * code, to its surrogate pair.
     */
    static String toUnicode(Map<Integer, Character> beyondBmp) {
        List<String> ranges = new ArrayList<>();
        for (int high = 0; high <= 0xFF; high++) {
            if (high < 0xD8 || high > 0xDF) {
                ranges.add(String.format("<%02X00> <%02XFF> <%02X00>", high, high, high));
            }
        }
        List<String> chars = new ArrayList<>();
        beyondBmp.forEach((codePoint, code) -> chars.add(String.format("<%04X> <%04X%04X>", (int) code,
                (int) Character.highSurrogate(codePoint), (int) Character.lowSurrogate(codePoint))));
        return """
                /CIDInit /ProcSet findresource begin
                12 dict begin
                begincmap
                /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
                /CMapName /Adobe-Identity-UCS def
                /CMapType 2 def
                1 begincodespacerange
                <0000> <FFFF>
                endcodespacerange
                """ + blocks("bfrange", ranges) + blocks("bfchar", chars) + """
                endcmap
                CMapName currentdict /CMap defineresource pop
                end
                end
                """;
    }

    /** CMap entries in blocks of at most {@value #ENTRIES_PER_BLOCK}. */
    private static String blocks(String kind, List<String> entries) {
        StringBuilder blocks = new StringBuilder();
        for (int start = 0; start < entries.size(); start += ENTRIES_PER_BLOCK) {
            List<String> block = entries.subList(start, Math.min(start + ENTRIES_PER_BLOCK, entries.size()));
            blocks.append(block.size()).append(" begin").append(kind).append('\n');
            block.forEach(entry -> blocks.append(entry).append('\n'));
            blocks.append("end").append(kind).append('\n');
        }
        return blocks.toString();
    }

    /** The CIDToGIDMap: two bytes per CID, each naming glyph 1, the empty one (glyph 0 is .notdef). */
    private static byte[] everyCidToTheEmptyGlyph() {
        ByteBuffer map = ByteBuffer.allocate(2 * 0x10000);
        while (map.hasRemaining()) {
            map.putShort((short) 1);
        }
        return map.array();
    }

    /**
     * The TrueType program: the tables a CIDFontType2 needs (head, hhea, maxp, hmtx, loca, glyf), plus cmap
     * and post for strict readers, describing two empty glyphs of one em each.
     */
    static byte[] trueType() {
        Map<String, byte[]> tables = new TreeMap<>(); // the directory lists tables by tag
        tables.put("head", ByteBuffer.allocate(54)
                .putInt(0x00010000).putInt(0x00010000) // version, font revision
                .putInt(0) // checksum adjustment, set once the whole font is written
                .putInt(0x5F0F3CF5) // magic number
                .putShort((short) 0b1011) // baseline and left side bearing at 0, integer scaling
                .putShort((short) ADVANCE) // units per em
                .putLong(0).putLong(0) // created, modified
                .putShort((short) 0).putShort((short) -DESCENT) // bbox
                .putShort((short) ADVANCE).putShort((short) (ADVANCE - DESCENT))
                .putShort((short) 0) // mac style
                .putShort((short) 3) // smallest readable size in pixels
                .putShort((short) 2) // font direction hint
                .putShort((short) 0) // short loca offsets
                .putShort((short) 0) // glyph data format
                .array());
        tables.put("hhea", ByteBuffer.allocate(36)
                .putInt(0x00010000)
                .putShort((short) (ADVANCE - DESCENT)).putShort((short) -DESCENT).putShort((short) 0) // ascender, descender, line gap
                .putShort((short) ADVANCE) // widest advance
                .putShort((short) 0).putShort((short) 0).putShort((short) 0) // side bearings, extent
                .putShort((short) 1).putShort((short) 0).putShort((short) 0) // upright caret
                .putLong(0) // reserved
                .putShort((short) 0) // metric data format
                .putShort((short) NUMBER_OF_GLYPHS) // horizontal metrics
                .array());
        ByteBuffer maxp = ByteBuffer.allocate(32).putInt(0x00010000).putShort((short) NUMBER_OF_GLYPHS);
        maxp.putShort(14, (short) 1); // one zone: no twilight zone
        tables.put("maxp", maxp.array());
        ByteBuffer hmtx = ByteBuffer.allocate(4 * NUMBER_OF_GLYPHS);
        while (hmtx.hasRemaining()) {
            hmtx.putShort((short) ADVANCE).putShort((short) 0);
        }
        tables.put("hmtx", hmtx.array());
        tables.put("loca", new byte[2 * (NUMBER_OF_GLYPHS + 1)]); // every glyph empty: all offsets 0
        tables.put("glyf", new byte[0]);
        tables.put("cmap", ByteBuffer.allocate(36)
                .putShort((short) 0).putShort((short) 1) // version, one subtable
                .putShort((short) 3).putShort((short) 1).putInt(12) // Windows Unicode BMP, at offset 12
                .putShort((short) 4).putShort((short) 24).putShort((short) 0) // format 4, its length, language
                .putShort((short) 2).putShort((short) 2).putShort((short) 0).putShort((short) 0) // one segment
                .putShort((short) 0xFFFF).putShort((short) 0).putShort((short) 0xFFFF) // end, pad, start
                .putShort((short) 1).putShort((short) 0) // delta, range offset: the closing segment only
                .array());
        tables.put("post", ByteBuffer.allocate(32)
                .putInt(0x00030000).putInt(0) // version 3: no glyph names; italic angle
                .putShort((short) -100).putShort((short) 50) // underline position, thickness
                .putInt(1) // fixed pitch
                .array());

        int count = tables.size();
        int offset = 12 + 16 * count;
        int size = offset + tables.values().stream().mapToInt(t -> padded(t.length)).sum();
        ByteBuffer font = ByteBuffer.allocate(size);
        int searchRange = Integer.highestOneBit(count) * 16;
        font.putInt(0x00010000).putShort((short) count).putShort((short) searchRange)
                .putShort((short) Integer.numberOfTrailingZeros(Integer.highestOneBit(count)))
                .putShort((short) (count * 16 - searchRange));
        int headAt = 0;
        for (Map.Entry<String, byte[]> table : tables.entrySet()) {
            if (table.getKey().equals("head")) {
                headAt = offset;
            }
            font.put(table.getKey().getBytes(StandardCharsets.US_ASCII)).putInt((int) checksum(table.getValue()))
                    .putInt(offset).putInt(table.getValue().length);
            offset += padded(table.getValue().length);
        }
        for (byte[] table : tables.values()) {
            font.put(table).position(font.position() + padded(table.length) - table.length);
        }
        font.putInt(headAt + 8, (int) (0xB1B0AFBAL - checksum(font.array())));
        return font.array();
    }

    /** The sum of the big-endian 32-bit words of {@code data}, zero-padded, modulo 2^32: TrueType's checksum. */
    static long checksum(byte[] data) {
        ByteBuffer words = ByteBuffer.allocate(padded(data.length)).put(data).rewind();
        long sum = 0;
        while (words.hasRemaining()) {
            sum = (sum + Integer.toUnsignedLong(words.getInt())) & 0xFFFFFFFFL;
        }
        return sum;
    }

    private static int padded(int length) {
        return (length + 3) & ~3;
    }

    private static COSArray numbers(int... values) {
        COSArray array = new COSArray();
        for (int value : values) {
            array.add(COSInteger.get(value));
        }
        return array;
    }

    private static COSStream stream(PDDocument document, byte[] data) throws IOException {
        COSStream stream = document.getDocument().createCOSStream();
        try (OutputStream out = stream.createOutputStream(COSName.FLATE_DECODE)) {
            out.write(data);
        }
        return stream;
    }
}
