package dev.asyncocr.api;

import dev.asyncocr.testing.Browser;
import dev.asyncocr.testing.TenantsProfile;
import dev.asyncocr.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page on a service with tenants: it asks for a key when the API answers 401, says why a key was refused,
 * keeps the key in the tab's sessionStorage only and sends it on every call, downloads included, and asks again
 * when a later call is refused.
 */
@QuarkusTest
@TestProfile(TenantsProfile.class)
class WebPageTenantsTest {

    private static final Path SCREENSHOTS = Path.of("target/web-page");
    private static final Duration FINISH_WITHIN = Duration.ofSeconds(120);
    private static Browser browser;

    @TestHTTPResource("/")
    URL root;

    @AfterAll
    static void closeBrowser() throws IOException {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void thePageAsksForAKeyKeepsItForTheTabAndAsksAgainWhenItIsRefused() throws Exception {
        byte[] png = TestImages.text("KEY PLEASE").bytes();
        String absent = refusal(given());
        String invalid = refusal(given().auth().oauth2("not-a-key"));
        Path image = Files.write(Files.createDirectories(SCREENSHOTS.resolve("inputs")).resolve("tenant.png"), png);
        if (browser == null) {
            browser = Browser.start(1280, 900, SCREENSHOTS);
        }
        ChromeDriver driver = browser.open(root, 1280, 900);
        browser.upload(image);
        assertAsked(driver, absent);
        assertEquals("key", driver.switchTo().activeElement().getDomAttribute("id"), "the key field has the focus");
        browser.screenshot("key-prompt");
        giveKey(driver, "not-a-key");
        assertAsked(driver, invalid);
        giveKey(driver, TestTokens.KEY_A);
        new WebDriverWait(driver, FINISH_WITHIN).until(ExpectedConditions.visibilityOfElementLocated(By.id("result")));

        WebElement jsonLink = driver.findElement(By.cssSelector("#downloads a[data-format='json']"));
        JsonPath api = given().auth().oauth2(TestTokens.KEY_A).when().get(jsonLink.getDomAttribute("href")).then()
                .statusCode(200).extract().jsonPath();
        assertEquals(api.getList("lines.text"), driver.findElements(By.cssSelector("#lines li .line-text")).stream()
                .map(text -> text.getDomProperty("textContent")).toList());
        assertEquals(TestTokens.KEY_A, driver.executeScript("return sessionStorage.getItem('async-ocr.key')"));
        assertFalse(((String) driver.executeScript("return JSON.stringify(localStorage)")).contains(TestTokens.KEY_A),
                "the key in localStorage");

        // a credential that stops working (here an expired token) is asked for again, and the download goes on
        driver.executeScript("sessionStorage.setItem('async-ocr.key', arguments[0])",
                TestTokens.expiredToken(TestTokens.TENANT_A));
        jsonLink.click();
        assertAsked(driver, invalid);
        giveKey(driver, TestTokens.KEY_A);
        Path saved = browser.downloaded(jsonLink.getDomAttribute("download"), Duration.ofSeconds(30));
        assertEquals(api.getString("request_id"), JsonPath.from(saved.toFile()).getString("request_id"));
        browser.assertConsoleClean(401);
    }

    /** The message of the API's 401 to a submission with {@code request}'s credential. */
    private static String refusal(RequestSpecification request) {
        return request.contentType("image/png").body(new byte[] {1}).when().post("/ocr/async").then().statusCode(401)
                .extract().path("error.message");
    }

    private static void assertAsked(ChromeDriver driver, String message) {
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> d.findElement(By.id("key-dialog")).isDisplayed()
                && d.findElement(By.id("key-reason")).getText().startsWith(message));
        assertTrue(driver.findElement(By.id("key-reason")).getText().endsWith("(UNAUTHENTICATED)"));
    }

    private static void giveKey(ChromeDriver driver, String key) {
        WebElement field = driver.findElement(By.id("key"));
        field.clear();
        field.sendKeys(key);
        driver.findElement(By.cssSelector("#key-form button[type='submit']")).click();
    }
}
