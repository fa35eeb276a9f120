package dev.asyncocr.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A bare HTTP/1.1 connection, for what HTTP client libraries hide: writing a body before reading the
 * answer, {@code Expect: 100-continue}, chunked bodies, reusing one connection; and for timing the
 * service rather than a client library's threads.
 */
public final class RawHttp implements AutoCloseable {

    /** One answer: status, headers (lower-case names) and body. */
    public record Reply(int status, Map<String, String> headers, String body) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String host;

    public RawHttp(URL base) throws IOException {
        socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(60_000);
        socket.setTcpNoDelay(true); // a body written after its head must not wait for the head's ACK
        in = socket.getInputStream();
        out = socket.getOutputStream();
        host = base.getHost() + ":" + base.getPort();
    }

    /** Writes a request line and headers (each "Name: value"), adding Host. */
    public void head(String requestLine, String... headers) throws IOException {
        out.write(headBytes(requestLine, headers));
        out.flush();
    }

    /** Writes a whole request with its body in one write, adding Host and Content-Length. */
    public void request(String requestLine, byte[] body, String... headers) throws IOException {
        byte[] head = headBytes(requestLine, concat(headers, "Content-Length: " + body.length));
        byte[] whole = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, whole, head.length, body.length);
        out.write(whole);
        out.flush();
    }

    /** Writes {@code count} zero bytes of body. */
    public void zeros(long count) throws IOException {
        byte[] block = new byte[64 * 1024];
        for (long left = count; left > 0; left -= block.length) {
            out.write(block, 0, (int) Math.min(block.length, left));
        }
        out.flush();
    }

    /** Writes {@code count} zero bytes as chunks of 64 KiB, then the last chunk. */
    public void chunkedZeros(long count) throws IOException {
        byte[] block = new byte[64 * 1024];
        for (long left = count; left > 0; left -= block.length) {
            int size = (int) Math.min(block.length, left);
            out.write((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(block, 0, size);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    public void bytes(byte[] body) throws IOException {
        out.write(body);
        out.flush();
    }

    public Reply read() throws IOException {
        String statusLine = line();
        while (statusLine.startsWith("HTTP/1.1 100")) { // an interim answer, then the real one
            while (!line().isEmpty()) {
                // its headers
            }
            statusLine = line();
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                body.write(in.readNBytes(size));
                line();
            }
            line();
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        }
        return new Reply(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    /** Whether the server has closed the connection (reads to end of stream, or fails on a reset). */
    public boolean closedByServer() {
        try {
            return in.read() == -1;
        } catch (IOException e) {
            return true;
        }
    }

    private byte[] headBytes(String requestLine, String... headers) {
        StringBuilder head = new StringBuilder(requestLine).append("\r\n").append("Host: ").append(host).append("\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String[] concat(String[] headers, String header) {
        String[] all = Arrays.copyOf(headers, headers.length + 1);
        all[headers.length] = header;
        return all;
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c == -1) {
                throw new EOFException("connection closed; read so far: " + line.toString(StandardCharsets.US_ASCII));
            }
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
