package dev.asyncocr;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The one digest the service uses: model checksums and image identity for idempotency keys. */
public final class Sha256 {

    private Sha256() {
    }

    /** The SHA-256 of the bytes as 64 lowercase hex digits. */
    public static String hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
