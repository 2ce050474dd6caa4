//! XML examples as documented: seed 003 verbatim, and the shapes CWA2007.md describes page by
//! page (bb9695xx), filled with values.

/// Seed 003: the note publish request (with its `https://` namespaces and spaced `xmlns = `).
pub const SEED_NOTE_PUBLISH: &str = r#"<cwaRequests sid="123" xmlns = "https://schemas.microsoft.com/2006/09/rtc/cwa">
  <publishSelfPresence rid="2">
   <cwaCategory name="note" instanceMask="0" expires="-1">
      <note xmlns="https://schemas.microsoft.com/2006/09/sip/note">
         <body type="personal">This is a personal note</body>
      </note>
    </cwaCategory>
  </publishSelfPresence>
</cwaRequests>"#;

/// Seed 003: the userPresence event (namespaces literally "...", no cwaEvents attributes).
pub const SEED_USER_PRESENCE: &str = r#"<cwaEvents>
   <userPresence eid="10">
      <user uri="sip:jane@contoso.com" sourceNetwork="sameEnterprise">
         <cwaCategory name="state" instance="0">
            <state xmlns=".../sip/state" 
                   xmlns:xsi=".../XMLSchema-instance" 
                   xsi:type="aggregateState">
               <availability>18000</availability>
               <activity token="Offline" />
            </state>
         </cwaCategory>

         <cwaCategory name="note" instance="0">
            <note xmlns=".../sip/note">
               <body type="personal" />
            </note>
         </cwaCategory>

         <cwaCategory name="contactCard" instance="0">
            <contactCard xmlns=".../sip/contactcard">
               <identity>
                  <name>
                     <displayName>Jay A.</displayName>
                  </name>
               </identity>
            </contactCard>
         </cwaCategory>

      </user>
   </userPresence>
</cwaEvents>"#;

/// bb969467: initiateSession as CWA2007.md quotes it.
pub const INITIATE_SESSION: &str = r#"<cwaRequests sid="0" xmlns="http://schemas.microsoft.com/2006/09/rtc/cwa"><initiateSession rid="1"><securityMode>private</securityMode><userStateAvailability>3500</userStateAvailability><options autoPublishMachineState="true" autoSubscribePresenceForContacts="true"/></initiateSession></cwaRequests>"#;

/// bb969634: the attribute-shaped reply.
pub const SESSION_ACCEPTED_ATTRIBUTES: &str = r#"<cwaResponses xmlns="http://schemas.microsoft.com/2006/09/rtc/cwa"><initiateSessionAccepted rid="1" sid="42" pollWaitTime="1000"/></cwaResponses>"#;

/// bb969517 and cwalib: the element-shaped reply.
pub const SESSION_ACCEPTED_ELEMENTS: &str = r#"<cwaResponses xmlns="https://schemas.microsoft.com/2006/09/rtc/cwa">
  <requestAccepted rid="1">
    <sid>42</sid>
    <uri>sip:dana@contoso.com</uri>
    <pollWaitTime>1000</pollWaitTime>
  </requestAccepted>
</cwaResponses>"#;

/// bb969595: the bare error shape.
pub const ERROR_SHAPE: &str = r#"<cwaResponses sid="7" xmlns="http://schemas.microsoft.com/2006/09/rtc/cwa"><error code="18100" subCode="0" reason="Session not found" detail=""><sipResponse code="481" subCode="2" detail="Call leg does not exist"/><stackTrace>at Cwa.Session…</stackTrace></error></cwaResponses>"#;

/// bb969622: requestFailed with error (warning, description), sipResponse and stackTrace.
pub const REQUEST_FAILED_SHAPE: &str = r#"<requestFailed rid="7" eid="200"><error code="18100" warning="" description="Session not found"><sipResponse code="404" warning="" description="Not Found"/><stackTrace> string value </stackTrace></error></requestFailed>"#;

/// bb969635: the exception shape (its exceptionDetail holding the code and message).
pub const EXCEPTION_SHAPE: &str = r#"<exception code="18100"><exceptionDetail code="18100" message="Session not found"><sipResponse code="481"/></exceptionDetail></exception>"#;

/// bb969494: a contact list, whole.
pub const CONTACT_GROUP: &str = r#"<cwaEvents sid="42" pollWaitTime="1000" ackId="3" xmlns="http://schemas.microsoft.com/2006/09/rtc/cwa">
  <contactGroup eid="3" fullList="true" deltaNum="1">
    <group id="1" name="Team" action="added"/>
    <group id="2" name="Friends &amp; family" action="updated" externalUri=""/>
    <group id="3" name="Old" action="deleted"/>
    <contact uri="sip:sara@contoso.com" name="Sara D." subscribed="true" tag="t1" groups="1 2" action="added"/>
    <contact uri="sip:ravi@contoso.com" subscribed="false" groups="" action="deleted"/>
    <contact uri="sip:lee@contoso.com" name="Lee"/>
    <contact name="no uri"/>
  </contactGroup>
</cwaEvents>"#;

/// bb969574: a search result (users without presence).
pub const SEARCH_RESULT: &str = r#"<cwaEvents sid="42" ackId="9"><searchResult eid="9" rid="5" moreAvailable="true"><contact uri="sip:jane@contoso.com" displayName="Jane Doe" email="jane@contoso.com"/><contact uri="sip:jay@contoso.com"><displayName>Jay A.</displayName><email>jay@contoso.com</email></contact></searchResult></cwaEvents>"#;

/// bb969480 + CONTRACTS: selfPresence with aggregate and manual user state, note with a
/// personal and an out-of-office body, and the identity card.
pub const SELF_PRESENCE: &str = r#"<cwaEvents sid="42" pollWaitTime="1000" ackId="2" sessionTimeout="180" xmlns="http://schemas.microsoft.com/2006/09/rtc/cwa">
 <selfPresence eid="2">
  <cwaCategory name="state" instance="0"><state xmlns="http://schemas.microsoft.com/2006/09/sip/state" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="aggregateState"><availability>6500</availability><activity token="Busy"/><endpointLocation>Building 40</endpointLocation></state></cwaCategory>
  <cwaCategory name="state" instance="536870912"><state xmlns="http://schemas.microsoft.com/2006/09/sip/state" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="userState" manual="true"><availability>6500</availability></state></cwaCategory>
  <cwaCategory name="note" instance="0"><note xmlns="http://schemas.microsoft.com/2006/09/sip/note"><body type="personal">  Lunch &lt;12:30&gt;  </body><body type="OOF">On leave until Monday</body></note></cwaCategory>
  <cwaCategory name="contactCard" instance="0"><contactCard xmlns="http://schemas.microsoft.com/2006/09/sip/contactcard"><identity><name><displayName>Dana K.</displayName></name><email>dana@contoso.com</email></identity></contactCard></cwaCategory>
  <cwaCategory name="calendarData" instance="0"><calendarData/></cwaCategory>
 </selfPresence>
</cwaEvents>"#;

/// dd941474 / ee354363: a contact card split over instances 0, 2 and 3, with phones.
pub const MULTI_INSTANCE_CARD: &str = r#"<cwaEvents sid="42" ackId="12">
 <userPresence eid="12">
  <user uri="sip:sara@contoso.com" sourceNetwork="sameEnterprise">
   <cwaCategory name="state" instance="0"><state xmlns="http://schemas.microsoft.com/2006/09/sip/state" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="aggregateState"><availability>15500</availability><activity token="off-work"/></state></cwaCategory>
   <cwaCategory name="contactCard" instance="0"><contactCard xmlns="http://schemas.microsoft.com/2006/09/sip/contactcard"><identity><name><displayName>Sara D.</displayName></name><email>sara@contoso.com</email></identity></contactCard></cwaCategory>
   <cwaCategory name="contactCard" instance="2"><contactCard xmlns="http://schemas.microsoft.com/2006/09/sip/contactcard"><address type="work"><street>1 Microsoft Way</street><city>Redmond</city><state>WA</state><zipcode>98052</zipcode><countryCode>US</countryCode></address></contactCard></cwaCategory>
   <cwaCategory name="contactCard" instance="3"><contactCard xmlns="http://schemas.microsoft.com/2006/09/sip/contactcard"><company>Contoso</company><department>Sales</department><title>Account Manager</title><office>40/1234</office><url>https://contoso.com/sara</url><phone type="work"><uri>tel:+14255550100</uri><displayString>+1 (425) 555-0100</displayString></phone><phone type="mobile"><uri>tel:+14255550199</uri></phone><phone type="fax"><displayString>555-0101</displayString></phone></contactCard></cwaCategory>
  </user>
 </userPresence>
</cwaEvents>"#;
