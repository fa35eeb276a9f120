package dev.asyncocr.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A PDF written object by object, for the hostile files PDFBox itself would not write (cycles, absurd
 * nesting, lying counts). Objects are numbered from 1 in the order they are added; object 1 must be the
 * catalog. The cross-reference is a stream (PDF 1.5), so that objects may also live inside an object stream.
 */
public final class RawPdf {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    /** Per object, its cross-reference entry: type (1 in the file, 2 in an object stream) and two fields. */
    private final List<long[]> entries = new ArrayList<>();

    public RawPdf() {
        write("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n");
    }

    /** The number the next object added will get. */
    public int next() {
        return entries.size() + 1;
    }

    /** Adds an object whose body is {@code body} (a dictionary, an array, a number...). */
    public RawPdf object(String body) {
        entries.add(new long[]{1, out.size(), 0});
        write(next() - 1 + " 0 obj\n" + body + "\nendobj\n");
        return this;
    }

    /** Adds a stream object: {@code dictionary} is the inside of its dictionary, without {@code /Length}. */
    public RawPdf stream(String dictionary, byte[] data) {
        entries.add(new long[]{1, out.size(), 0});
        write(next() - 1 + " 0 obj\n<< " + dictionary + " /Length " + data.length + " >>\nstream\n");
        out.writeBytes(data);
        write("\nendstream\nendobj\n");
        return this;
    }

    /** Declares the next object number to be the {@code index}th object of object stream {@code objectStream}. */
    public RawPdf compressed(int objectStream, int index) {
        entries.add(new long[]{2, objectStream, index});
        return this;
    }

    /** The file: the objects, then the cross-reference stream (uncompressed) naming object 1 the root. */
    public byte[] bytes() {
        int xref = next();
        long start = out.size();
        ByteBuffer table = ByteBuffer.allocate((entries.size() + 2) * 7);
        table.put((byte) 0).putInt(0).putShort((short) 0xFFFF); // object 0, the head of the free list
        for (long[] entry : entries) {
            table.put((byte) entry[0]).putInt((int) entry[1]).putShort((short) entry[2]);
        }
        table.put((byte) 1).putInt((int) start).putShort((short) 0); // the cross-reference stream itself
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(out.toByteArray());
        write(file, xref + " 0 obj\n<< /Type /XRef /Size " + (xref + 1) + " /W [1 4 2] /Root 1 0 R /Length "
                + table.capacity() + " >>\nstream\n");
        file.writeBytes(table.array());
        write(file, "\nendstream\nendobj\nstartxref\n" + start + "\n%%EOF\n");
        return file.toByteArray();
    }

    private void write(String text) {
        write(out, text);
    }

    private static void write(ByteArrayOutputStream to, String text) {
        to.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
