package fakeaws

import (
	"encoding/xml"
	"net/http"
	"strings"
)

// getCallerIdentity answers STS GetCallerIdentity, which AWS allows every
// authenticated caller: the account and ARN of the signing key's
// principal (UserARN, or the assumed-role session of a key AssumeRole
// issued).
func (c *call) getCallerIdentity() {
	var doc struct {
		XMLName xml.Name `xml:"GetCallerIdentityResponse"`
		XMLNS   string   `xml:"xmlns,attr"`
		Result  struct {
			Arn     string `xml:"Arn"`
			UserID  string `xml:"UserId"`
			Account string `xml:"Account"`
		} `xml:"GetCallerIdentityResult"`
		Metadata struct {
			RequestID string `xml:"RequestId"`
		} `xml:"ResponseMetadata"`
	}
	doc.XMLNS = stsNamespace
	doc.Result.Arn = c.key.principal
	doc.Result.UserID = "AIDAFAKEAWS0000000001"
	if strings.Contains(c.key.principal, ":assumed-role/") {
		doc.Result.UserID = "AROAFAKEAWS0000000001:" + c.key.principal[strings.LastIndex(c.key.principal, "/")+1:]
	}
	doc.Result.Account = AccountID
	doc.Metadata.RequestID = requestID()
	data, _ := xml.Marshal(doc)
	h := c.w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("X-Amzn-Requestid", doc.Metadata.RequestID)
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(data)
}
