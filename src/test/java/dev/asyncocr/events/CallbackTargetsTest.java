package dev.asyncocr.events;

import dev.asyncocr.job.CallbackUrlRefusedException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallbackTargetsTest {

    /** Names resolve from this table, as DNS would answer; literal addresses parse as they are. */
    private static final Map<String, String> DNS = Map.of(
            "hooks.example.com", "93.184.215.14",
            "rebound.example.com", "10.0.0.7",
            "metadata.google.internal", "169.254.169.254");

    private final CallbackTargets strict = new CallbackTargets(false, CallbackTargetsTest::resolve);

    @Test
    void publicHostsAndAddressesAreAccepted() {
        for (String url : List.of("https://hooks.example.com/ocr?x=1", "http://93.184.215.14:8080/",
                "http://[2606:4700:4700::1111]/hook", "HTTPS://hooks.example.com")) {
            assertEquals(URI.create(url), strict.check(url), url);
        }
    }

    @Test
    void hostsInPrivateNetworksAreRefused() {
        for (String url : List.of("http://127.0.0.1/", "http://127.8.9.10:9000/", "http://localhost/",
                "http://10.1.2.3/", "http://172.16.0.1/", "http://192.168.1.1/", "http://169.254.169.254/latest",
                "http://metadata.google.internal/", "http://100.100.100.200/", "http://0.0.0.0/", "http://[::1]/",
                "http://[::]/", "http://[fe80::1]/", "http://[fd00:ec2::254]/", "http://[::ffff:127.0.0.1]/",
                "http://[::ffff:10.0.0.1]/", "http://[64:ff9b::a9fe:a9fe]/", "http://224.0.0.1/",
                "http://192.0.0.192/", "http://rebound.example.com/")) {
            CallbackUrlRefusedException e = assertThrows(CallbackUrlRefusedException.class, () -> strict.check(url),
                    url);
            assertTrue(e.getMessage().contains("non-public"), e.getMessage());
        }
    }

    @Test
    void whatIsNotAnAbsoluteHttpUrlIsRefused() {
        for (String url : List.of("ftp://hooks.example.com/", "file:///etc/passwd", "hooks.example.com/x",
                "/relative", "http:///nohost", "not a url", "https://hooks.example.com/" + "a".repeat(2048))) {
            assertThrows(CallbackUrlRefusedException.class, () -> strict.check(url), url);
        }
        assertTrue(assertThrows(CallbackUrlRefusedException.class, () -> strict.check("http://nowhere.invalid/"))
                .getMessage().contains("does not resolve"));
    }

    @Test
    void privateTargetsPassWhenAllowed() {
        CallbackTargets open = new CallbackTargets(true, CallbackTargetsTest::resolve);
        assertEquals(URI.create("http://127.0.0.1:9/x"), open.check("http://127.0.0.1:9/x"));
        assertThrows(CallbackUrlRefusedException.class, () -> open.check("ftp://127.0.0.1/"), "still http(s) only");
    }

    @Test
    void beforeASendTheAddressToConnectToIsCheckedAgain() throws UnknownHostException {
        assertTrue(assertThrows(CallbackUrlRefusedException.class,
                () -> strict.address(URI.create("http://rebound.example.com/"))).getMessage().contains("10.0.0.7"));
        assertEquals(InetAddress.getByName("93.184.215.14"), strict.address(URI.create("https://hooks.example.com/")));
        assertThrows(UnknownHostException.class, () -> strict.address(URI.create("http://nowhere.invalid/")),
                "an unresolvable host fails at the send, and is retried");
    }

    @Test
    void classifiesAddresses() throws UnknownHostException {
        assertTrue(CallbackTargets.isPublic(InetAddress.getByName("8.8.8.8")));
        assertTrue(CallbackTargets.isPublic(InetAddress.getByName("2001:db9::1")));
        assertFalse(CallbackTargets.isPublic(InetAddress.getByName("100.64.0.1")));
        assertTrue(CallbackTargets.isPublic(InetAddress.getByName("100.128.0.1")));
        assertFalse(CallbackTargets.isPublic(InetAddress.getByName("198.18.0.1")));
        assertFalse(CallbackTargets.isPublic(InetAddress.getByName("255.255.255.255")));
    }

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        if (host.equals("localhost")) {
            return new InetAddress[] {InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")};
        }
        String address = DNS.getOrDefault(host, host);
        if (!Character.isDigit(address.charAt(0)) && !address.contains(":")) {
            throw new UnknownHostException(host);
        }
        return new InetAddress[] {InetAddress.getByName(address)};
    }
}
