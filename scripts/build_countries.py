#!/usr/bin/env python3
"""Generate ``graphbuild/data/gazetteer/countries.jsonl`` from pycountry plus a curated table.

Run once after editing the table below; the generated file is committed:

    python scripts/build_countries.py

pycountry gives every ISO 3166-1 entry (alpha-3, alpha-2, formal names); the
table gives what news text actually says: the common short name, aliases,
demonyms (adjective and people forms), capitals (and other cities used
metonymically for the state) and seats of power.

Table line format (one country a line, ``|``-separated columns)::

    ISO3 | name | aliases | demonyms | capitals | seats

Lists are ``;``-separated.  In capitals and seats, ``=`` joins spellings of
the same place (``Kyiv=Kiev``): the first spelling names the derived
Location, the others are its aliases.  pycountry's name, official and common
names are added as aliases when they read like running text (no comma, no
parenthesis).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parents[1] / "graphbuild" / "data" / "gazetteer" / "countries.jsonl"

# Dependent territories -> administering state (None: no administering state / disputed).
TERRITORIES: dict[str, str | None] = {
    "ABW": "NLD", "AIA": "GBR", "ALA": "FIN", "ASM": "USA", "ATA": None, "ATF": "FRA",
    "BES": "NLD", "BLM": "FRA", "BMU": "GBR", "BVT": "NOR", "CCK": "AUS", "COK": "NZL",
    "CUW": "NLD", "CXR": "AUS", "CYM": "GBR", "ESH": None, "FLK": "GBR", "FRO": "DNK",
    "GGY": "GBR", "GIB": "GBR", "GLP": "FRA", "GRL": "DNK", "GUF": "FRA", "GUM": "USA",
    "HKG": "CHN", "HMD": "AUS", "IMN": "GBR", "IOT": "GBR", "JEY": "GBR", "MAC": "CHN",
    "MAF": "FRA", "MNP": "USA", "MSR": "GBR", "MTQ": "FRA", "MYT": "FRA", "NCL": "FRA",
    "NFK": "AUS", "NIU": "NZL", "PCN": "GBR", "PRI": "USA", "PYF": "FRA", "REU": "FRA",
    "SGS": "GBR", "SHN": "GBR", "SJM": "NOR", "SPM": "FRA", "SXM": "NLD", "TCA": "GBR",
    "TKL": "NZL", "UMI": "USA", "VGB": "GBR", "VIR": "USA", "WLF": "FRA",
}
# Sovereign (de jure or de facto) but not UN members.
NOT_UN = {"PSE", "TWN", "VAT", "XKX"}

# Codes that are not ISO 3166-1 but are used for the same purpose (EU, IMF, World Bank).
EXTRA = {"XKX": ("XK", "Kosovo", "user-assigned code used by the EU, IMF and World Bank")}

TABLE = """
ABW | Aruba | | Aruban; Arubans | Oranjestad |
AFG | Afghanistan | Islamic Emirate of Afghanistan; Islamic Republic of Afghanistan | Afghan; Afghans | Kabul |
AGO | Angola | | Angolan; Angolans | Luanda |
AIA | Anguilla | | Anguillan; Anguillans | The Valley |
ALA | Åland Islands | Åland; Aland Islands; Aland | Ålander; Ålanders | Mariehamn |
ALB | Albania | | Albanian; Albanians | Tirana=Tirane |
AND | Andorra | | Andorran; Andorrans | Andorra la Vella |
ARE | United Arab Emirates | UAE; U.A.E. | Emirati; Emiratis | Abu Dhabi |
ARG | Argentina | | Argentine; Argentines; Argentinian; Argentinians; Argentinean; Argentineans | Buenos Aires | Casa Rosada
ARM | Armenia | | Armenian; Armenians | Yerevan |
ASM | American Samoa | | American Samoan; American Samoans | Pago Pago |
ATA | Antarctica | | | |
ATF | French Southern Territories | French Southern and Antarctic Lands; TAAF | | Port-aux-Français |
ATG | Antigua and Barbuda | Antigua | Antiguan; Antiguans; Barbudan; Barbudans | St. John's=Saint John's |
AUS | Australia | Commonwealth of Australia | Australian; Australians; Aussie; Aussies | Canberra |
AUT | Austria | | Austrian; Austrians | Vienna | Hofburg; Ballhausplatz
AZE | Azerbaijan | | Azerbaijani; Azerbaijanis; Azeri; Azeris | Baku |
BDI | Burundi | | Burundian; Burundians | Gitega; Bujumbura |
BEL | Belgium | Kingdom of Belgium | Belgian; Belgians | Brussels |
BEN | Benin | | Beninese; Beninois | Porto-Novo; Cotonou |
BES | Caribbean Netherlands | Bonaire, Sint Eustatius and Saba; Bonaire; Sint Eustatius; Saba | Bonairean; Bonaireans | Kralendijk |
BFA | Burkina Faso | Burkina | Burkinabe; Burkinabè; Burkinabes | Ouagadougou |
BGD | Bangladesh | | Bangladeshi; Bangladeshis | Dhaka=Dacca |
BGR | Bulgaria | | Bulgarian; Bulgarians | Sofia |
BHR | Bahrain | | Bahraini; Bahrainis | Manama |
BHS | Bahamas | the Bahamas; Commonwealth of the Bahamas | Bahamian; Bahamians | Nassau |
BIH | Bosnia and Herzegovina | Bosnia; Bosnia-Herzegovina; BiH | Bosnian; Bosnians; Herzegovinian; Herzegovinians | Sarajevo |
BLM | Saint Barthélemy | St. Barthélemy; Saint-Barthélemy; St Barts; St. Barts | Barthélemois | Gustavia |
BLR | Belarus | Byelorussia; Belorussia | Belarusian; Belarusians; Belarussian; Belarussians; Byelorussian | Minsk |
BLZ | Belize | | Belizean; Belizeans | Belmopan |
BMU | Bermuda | | Bermudian; Bermudians; Bermudan | Hamilton |
BOL | Bolivia | Plurinational State of Bolivia | Bolivian; Bolivians | La Paz; Sucre | Palacio Quemado
BRA | Brazil | | Brazilian; Brazilians | Brasília=Brasilia | Planalto=Planalto Palace=Palácio do Planalto; Itamaraty
BRB | Barbados | | Barbadian; Barbadians; Bajan; Bajans | Bridgetown |
BRN | Brunei | Brunei Darussalam | Bruneian; Bruneians | Bandar Seri Begawan |
BTN | Bhutan | | Bhutanese | Thimphu |
BVT | Bouvet Island | Bouvet | | |
BWA | Botswana | | Motswana; Batswana; Botswanan; Botswanans | Gaborone |
CAF | Central African Republic | CAR; Centrafrique | Central African; Central Africans | Bangui |
CAN | Canada | | Canadian; Canadians | Ottawa | Parliament Hill; Rideau Hall
CCK | Cocos Islands | Cocos (Keeling) Islands; Keeling Islands | Cocos Islander; Cocos Islanders | West Island |
CHE | Switzerland | Swiss Confederation | Swiss | Bern=Berne |
CHL | Chile | | Chilean; Chileans | Santiago | La Moneda
CHN | China | People's Republic of China; PRC; P.R.C.; mainland China | Chinese | Beijing=Peking | Zhongnanhai
CIV | Ivory Coast | Côte d'Ivoire; Republic of Côte d'Ivoire | Ivorian; Ivorians; Ivoirian; Ivoirians | Yamoussoukro; Abidjan |
CMR | Cameroon | | Cameroonian; Cameroonians | Yaoundé |
COD | DR Congo | Democratic Republic of the Congo; Democratic Republic of Congo; DRC; D.R.C.; D.R. Congo; DRCongo; Congo-Kinshasa; Zaire | Congolese | Kinshasa |
COG | Republic of the Congo | Republic of Congo; Congo Republic; Congo-Brazzaville | Congolese | Brazzaville |
COK | Cook Islands | | Cook Islander; Cook Islanders | Avarua |
COL | Colombia | | Colombian; Colombians | Bogotá | Casa de Nariño=Nariño Palace
COM | Comoros | the Comoros; Union of the Comoros | Comorian; Comorians; Comoran | Moroni |
CPV | Cape Verde | Cabo Verde | Cape Verdean; Cape Verdeans; Cabo Verdean; Cabo Verdeans | Praia |
CRI | Costa Rica | | Costa Rican; Costa Ricans | San José |
CUB | Cuba | | Cuban; Cubans | Havana |
CUW | Curaçao | | Curaçaoan; Curaçaoans | Willemstad |
CXR | Christmas Island | | Christmas Islander; Christmas Islanders | Flying Fish Cove |
CYM | Cayman Islands | the Caymans | Caymanian; Caymanians | George Town |
CYP | Cyprus | Republic of Cyprus | Cypriot; Cypriots; Greek Cypriot; Greek Cypriots | Nicosia |
CZE | Czech Republic | Czechia | Czech; Czechs | Prague | Prague Castle=Hradčany
DEU | Germany | Federal Republic of Germany | German; Germans | Berlin | Bundeskanzleramt=German Chancellery
DJI | Djibouti | | Djiboutian; Djiboutians | Djibouti City |
DMA | Dominica | Commonwealth of Dominica | Dominican; Dominicans | Roseau |
DNK | Denmark | Kingdom of Denmark | Danish; Dane; Danes | Copenhagen | Christiansborg
DOM | Dominican Republic | | Dominican; Dominicans | Santo Domingo |
DZA | Algeria | | Algerian; Algerians | Algiers | El Mouradia
ECU | Ecuador | | Ecuadorian; Ecuadorians; Ecuadorean; Ecuadoreans | Quito | Carondelet Palace
EGY | Egypt | Arab Republic of Egypt | Egyptian; Egyptians | Cairo |
ERI | Eritrea | State of Eritrea | Eritrean; Eritreans | Asmara |
ESH | Western Sahara | Sahrawi Arab Democratic Republic; Sahrawi Republic; SADR | Sahrawi; Sahrawis; Saharawi; Saharawis | Laayoune=Laâyoune=El Aaiún |
ESP | Spain | Kingdom of Spain | Spanish; Spaniard; Spaniards | Madrid | Moncloa=La Moncloa=Moncloa Palace
EST | Estonia | | Estonian; Estonians | Tallinn |
ETH | Ethiopia | | Ethiopian; Ethiopians | Addis Ababa=Addis |
FIN | Finland | | Finnish; Finn; Finns | Helsinki |
FJI | Fiji | | Fijian; Fijians | Suva |
FLK | Falkland Islands | Falklands; Malvinas; Islas Malvinas | Falkland Islander; Falkland Islanders; Falklander; Falklanders | Stanley |
FRA | France | French Republic | French; Frenchman; Frenchmen; Frenchwoman; Frenchwomen | Paris | Élysée=Élysée Palace; Matignon; Quai d'Orsay
FRO | Faroe Islands | Faroes; Faeroe Islands; Faeroes | Faroese | Tórshavn |
FSM | Micronesia | Federated States of Micronesia | Micronesian; Micronesians | Palikir |
GAB | Gabon | Gabonese Republic | Gabonese | Libreville |
GBR | United Kingdom | UK; U.K.; Britain; Great Britain; United Kingdom of Great Britain and Northern Ireland | British; Briton; Britons; Brit; Brits | London | Downing Street=Number 10=No 10=No. 10=Number Ten; Whitehall
GEO | Georgia | | Georgian; Georgians | Tbilisi |
GGY | Guernsey | Bailiwick of Guernsey | Guernseyman; Guernseymen | St Peter Port=St. Peter Port=Saint Peter Port |
GHA | Ghana | | Ghanaian; Ghanaians | Accra |
GIB | Gibraltar | | Gibraltarian; Gibraltarians | |
GIN | Guinea | Republic of Guinea; Guinea-Conakry | Guinean; Guineans | Conakry |
GLP | Guadeloupe | | Guadeloupean; Guadeloupeans | Basse-Terre |
GMB | Gambia | the Gambia; Republic of the Gambia | Gambian; Gambians | Banjul |
GNB | Guinea-Bissau | | Bissau-Guinean; Bissau-Guineans | Bissau |
GNQ | Equatorial Guinea | | Equatorial Guinean; Equatorial Guineans; Equatoguinean; Equatoguineans | Malabo |
GRC | Greece | Hellenic Republic; Hellas | Greek; Greeks | Athens | Maximos Mansion
GRD | Grenada | | Grenadian; Grenadians | St. George's=Saint George's |
GRL | Greenland | Kalaallit Nunaat | Greenlandic; Greenlander; Greenlanders | Nuuk |
GTM | Guatemala | | Guatemalan; Guatemalans | Guatemala City |
GUF | French Guiana | Guyane | French Guianese | Cayenne |
GUM | Guam | | Guamanian; Guamanians | Hagåtña=Hagatna=Agana |
GUY | Guyana | Co-operative Republic of Guyana | Guyanese | Georgetown |
HKG | Hong Kong | Hong Kong SAR; HKSAR; Hong Kong Special Administrative Region | Hongkonger; Hongkongers; Hong Konger; Hong Kongers | |
HMD | Heard Island and McDonald Islands | Heard and McDonald Islands | | |
HND | Honduras | | Honduran; Hondurans | Tegucigalpa |
HRV | Croatia | | Croatian; Croatians; Croat; Croats | Zagreb |
HTI | Haiti | | Haitian; Haitians | Port-au-Prince |
HUN | Hungary | | Hungarian; Hungarians | Budapest | Sándor Palace; Carmelite Monastery
IDN | Indonesia | | Indonesian; Indonesians | Jakarta |
IMN | Isle of Man | | Manx | Douglas |
IND | India | Bharat | Indian; Indians | New Delhi | South Block; Raisina Hill; Rashtrapati Bhavan
IOT | British Indian Ocean Territory | BIOT; Chagos Islands; Chagos Archipelago | Chagossian; Chagossians | |
IRL | Ireland | Republic of Ireland; Éire | Irish; Irishman; Irishmen; Irishwoman | Dublin | Leinster House
IRN | Iran | Islamic Republic of Iran; Persia | Iranian; Iranians | Tehran=Teheran |
IRQ | Iraq | | Iraqi; Iraqis | Baghdad |
ISL | Iceland | | Icelandic; Icelander; Icelanders | Reykjavík |
ISR | Israel | State of Israel | Israeli; Israelis | Jerusalem; Tel Aviv |
ITA | Italy | Italian Republic | Italian; Italians | Rome | Palazzo Chigi; Quirinale=Quirinal Palace=Quirinal; Farnesina
JAM | Jamaica | | Jamaican; Jamaicans | Kingston |
JEY | Jersey | Bailiwick of Jersey | Jerseyman; Jerseymen | St Helier=St. Helier=Saint Helier |
JOR | Jordan | Hashemite Kingdom of Jordan | Jordanian; Jordanians | Amman |
JPN | Japan | | Japanese | Tokyo | Kantei; Nagatacho; Kasumigaseki
KAZ | Kazakhstan | | Kazakh; Kazakhs; Kazakhstani; Kazakhstanis | Astana=Nur-Sultan |
KEN | Kenya | | Kenyan; Kenyans | Nairobi |
KGZ | Kyrgyzstan | Kirghizia | Kyrgyz; Kyrgyzstani; Kyrgyzstanis; Kirghiz | Bishkek |
KHM | Cambodia | Kingdom of Cambodia; Kampuchea | Cambodian; Cambodians | Phnom Penh |
KIR | Kiribati | | I-Kiribati; Kiribatian | Tarawa=South Tarawa |
KNA | Saint Kitts and Nevis | St Kitts and Nevis; St. Kitts and Nevis; St Kitts; Saint Kitts | Kittitian; Kittitians; Nevisian; Nevisians | Basseterre |
KOR | South Korea | Republic of Korea; ROK; R.O.K.; S. Korea; S.Korea | South Korean; South Koreans | Seoul | Blue House=Cheong Wa Dae; Yongsan presidential office
KWT | Kuwait | State of Kuwait | Kuwaiti; Kuwaitis | Kuwait City |
LAO | Laos | Lao People's Democratic Republic; Lao PDR | Laotian; Laotians; Lao | Vientiane |
LBN | Lebanon | Lebanese Republic | Lebanese | Beirut | Baabda=Baabda Palace; Grand Serail
LBR | Liberia | | Liberian; Liberians | Monrovia |
LBY | Libya | State of Libya | Libyan; Libyans | Tripoli |
LCA | Saint Lucia | St Lucia; St. Lucia | Saint Lucian; Saint Lucians; St Lucian | Castries |
LIE | Liechtenstein | | Liechtensteiner; Liechtensteiners | Vaduz |
LKA | Sri Lanka | Ceylon | Sri Lankan; Sri Lankans | Colombo; Sri Jayawardenepura Kotte=Kotte |
LSO | Lesotho | | Mosotho; Basotho | Maseru |
LTU | Lithuania | | Lithuanian; Lithuanians | Vilnius |
LUX | Luxembourg | Grand Duchy of Luxembourg | Luxembourgish; Luxembourger; Luxembourgers | Luxembourg City |
LVA | Latvia | | Latvian; Latvians | Riga |
MAC | Macau | Macao; Macao SAR; Macau SAR | Macanese | |
MAF | Saint Martin | Saint-Martin; St Martin; St. Martin; Collectivity of Saint Martin | Saint-Martinois | Marigot |
MAR | Morocco | Kingdom of Morocco | Moroccan; Moroccans | Rabat |
MCO | Monaco | Principality of Monaco | Monegasque; Monégasque; Monegasques | |
MDA | Moldova | Republic of Moldova; Moldavia | Moldovan; Moldovans | Chișinău=Chişinău=Kishinev |
MDG | Madagascar | | Malagasy; Madagascan; Madagascans | Antananarivo |
MDV | Maldives | the Maldives | Maldivian; Maldivians | Malé=Male |
MEX | Mexico | United Mexican States | Mexican; Mexicans | Mexico City | Los Pinos
MHL | Marshall Islands | | Marshallese | Majuro |
MKD | North Macedonia | Macedonia; FYROM; Former Yugoslav Republic of Macedonia | North Macedonian; North Macedonians; Macedonian; Macedonians | Skopje |
MLI | Mali | | Malian; Malians | Bamako | Koulouba
MLT | Malta | | Maltese | Valletta |
MMR | Myanmar | Burma; Republic of the Union of Myanmar | Burmese | Naypyidaw=Naypyitaw=Nay Pyi Taw; Yangon=Rangoon |
MNE | Montenegro | | Montenegrin; Montenegrins | Podgorica |
MNG | Mongolia | | Mongolian; Mongolians | Ulaanbaatar=Ulan Bator |
MNP | Northern Mariana Islands | Northern Marianas; CNMI | Northern Mariana Islander; Northern Mariana Islanders | Saipan |
MOZ | Mozambique | | Mozambican; Mozambicans | Maputo |
MRT | Mauritania | | Mauritanian; Mauritanians | Nouakchott |
MSR | Montserrat | | Montserratian; Montserratians | Brades; Plymouth |
MTQ | Martinique | | Martinican; Martinicans; Martiniquais | Fort-de-France |
MUS | Mauritius | | Mauritian; Mauritians | Port Louis |
MWI | Malawi | | Malawian; Malawians | Lilongwe |
MYS | Malaysia | | Malaysian; Malaysians | Kuala Lumpur; Putrajaya |
MYT | Mayotte | | Mahoran; Mahorans; Mahorais | Mamoudzou |
NAM | Namibia | | Namibian; Namibians | Windhoek |
NCL | New Caledonia | Kanaky | New Caledonian; New Caledonians | Nouméa |
NER | Niger | Republic of the Niger | Nigerien; Nigeriens | Niamey |
NFK | Norfolk Island | | Norfolk Islander; Norfolk Islanders | Kingston |
NGA | Nigeria | | Nigerian; Nigerians | Abuja | Aso Rock=Aso Villa
NIC | Nicaragua | | Nicaraguan; Nicaraguans | Managua |
NIU | Niue | | Niuean; Niueans | Alofi |
NLD | Netherlands | the Netherlands; Holland; Kingdom of the Netherlands | Dutch; Dutchman; Dutchmen; Dutchwoman; Netherlander; Netherlanders | Amsterdam; The Hague | Binnenhof
NOR | Norway | | Norwegian; Norwegians | Oslo |
NPL | Nepal | | Nepali; Nepalis; Nepalese | Kathmandu | Singha Durbar
NRU | Nauru | | Nauruan; Nauruans | Yaren |
NZL | New Zealand | NZ; Aotearoa | New Zealander; New Zealanders; Kiwi; Kiwis | Wellington | Beehive
OMN | Oman | Sultanate of Oman | Omani; Omanis | Muscat |
PAK | Pakistan | Islamic Republic of Pakistan | Pakistani; Pakistanis | Islamabad |
PAN | Panama | | Panamanian; Panamanians | Panama City |
PCN | Pitcairn Islands | Pitcairn | Pitcairn Islander; Pitcairn Islanders | Adamstown |
PER | Peru | | Peruvian; Peruvians | Lima |
PHL | Philippines | the Philippines; Republic of the Philippines | Filipino; Filipinos; Filipina; Filipinas; Philippine | Manila | Malacañang=Malacañang Palace
PLW | Palau | | Palauan; Palauans | Ngerulmud |
PNG | Papua New Guinea | PNG | Papua New Guinean; Papua New Guineans | Port Moresby |
POL | Poland | | Polish; Pole; Poles | Warsaw | Belweder
PRI | Puerto Rico | | Puerto Rican; Puerto Ricans | San Juan |
PRK | North Korea | Democratic People's Republic of Korea; DPRK; D.P.R.K.; N. Korea; N.Korea | North Korean; North Koreans | Pyongyang |
PRT | Portugal | Portuguese Republic | Portuguese | Lisbon | São Bento Palace; Belém Palace
PRY | Paraguay | | Paraguayan; Paraguayans | Asunción |
PSE | Palestine | State of Palestine; Palestinian territories; Palestinian Territories; occupied Palestinian territories; Occupied Palestinian Territory | Palestinian; Palestinians | Ramallah | Muqata=Mukataa
PYF | French Polynesia | | French Polynesian; French Polynesians | Papeete |
QAT | Qatar | State of Qatar | Qatari; Qataris | Doha |
REU | Réunion | La Réunion; Reunion Island | Réunionese | Saint-Denis |
ROU | Romania | Rumania | Romanian; Romanians | Bucharest | Cotroceni=Cotroceni Palace; Victoria Palace
RUS | Russia | Russian Federation | Russian; Russians | Moscow | Kremlin=Moscow Kremlin
RWA | Rwanda | | Rwandan; Rwandans; Rwandese | Kigali |
SAU | Saudi Arabia | Kingdom of Saudi Arabia; KSA | Saudi; Saudis; Saudi Arabian; Saudi Arabians | Riyadh |
SDN | Sudan | Republic of the Sudan; the Sudan | Sudanese | Khartoum; Port Sudan |
SEN | Senegal | | Senegalese | Dakar |
SGP | Singapore | Republic of Singapore | Singaporean; Singaporeans | | Istana
SGS | South Georgia and the South Sandwich Islands | South Sandwich Islands | | King Edward Point |
SHN | Saint Helena, Ascension and Tristan da Cunha | Saint Helena; St Helena; St. Helena; Ascension Island; Tristan da Cunha | Saint Helenian; Saint Helenians | Jamestown |
SJM | Svalbard and Jan Mayen | Svalbard; Jan Mayen | | Longyearbyen |
SLB | Solomon Islands | the Solomons | Solomon Islander; Solomon Islanders | Honiara |
SLE | Sierra Leone | | Sierra Leonean; Sierra Leoneans | Freetown |
SLV | El Salvador | | Salvadoran; Salvadorans; Salvadorean; Salvadoreans | San Salvador |
SMR | San Marino | | Sammarinese | City of San Marino |
SOM | Somalia | Federal Republic of Somalia | Somali; Somalis | Mogadishu | Villa Somalia
SPM | Saint Pierre and Miquelon | St Pierre and Miquelon; St. Pierre and Miquelon | Saint-Pierrais | Saint-Pierre |
SRB | Serbia | | Serbian; Serbians; Serb; Serbs | Belgrade |
SSD | South Sudan | Republic of South Sudan | South Sudanese | Juba |
STP | São Tomé and Príncipe | Democratic Republic of São Tomé and Príncipe | Santomean; Santomeans; São Toméan | São Tomé |
SUR | Suriname | Surinam | Surinamese | Paramaribo |
SVK | Slovakia | Slovak Republic | Slovak; Slovaks; Slovakian; Slovakians | Bratislava |
SVN | Slovenia | | Slovenian; Slovenians; Slovene; Slovenes | Ljubljana |
SWE | Sweden | Kingdom of Sweden | Swedish; Swede; Swedes | Stockholm | Rosenbad
SWZ | Eswatini | Swaziland | Swazi; Swazis; Emaswati | Mbabane; Lobamba |
SXM | Sint Maarten | | Sint Maartener; Sint Maarteners | Philipsburg |
SYC | Seychelles | the Seychelles | Seychellois | Victoria |
SYR | Syria | Syrian Arab Republic | Syrian; Syrians | Damascus |
TCA | Turks and Caicos Islands | Turks and Caicos | Turks and Caicos Islander; Turks and Caicos Islanders | Cockburn Town |
TCD | Chad | Republic of Chad | Chadian; Chadians | N'Djamena=N'Djaména=Ndjamena |
TGO | Togo | Togolese Republic | Togolese | Lomé |
THA | Thailand | Kingdom of Thailand; Siam | Thai; Thais | Bangkok |
TJK | Tajikistan | | Tajik; Tajiks; Tajikistani; Tajikistanis | Dushanbe |
TKL | Tokelau | | Tokelauan; Tokelauans | |
TKM | Turkmenistan | | Turkmen; Turkmens; Turkmenistani | Ashgabat=Ashkhabad |
TLS | East Timor | Timor-Leste; Democratic Republic of Timor-Leste | Timorese; East Timorese | Dili |
TON | Tonga | Kingdom of Tonga | Tongan; Tongans | Nuku'alofa=Nukuʻalofa |
TTO | Trinidad and Tobago | Trinidad | Trinidadian; Trinidadians; Tobagonian; Tobagonians; Trinbagonian | Port of Spain=Port-of-Spain |
TUN | Tunisia | | Tunisian; Tunisians | Tunis | Carthage Palace
TUR | Turkey | Türkiye; Republic of Türkiye; Republic of Turkey | Turkish; Turk; Turks | Ankara | Beştepe
TUV | Tuvalu | | Tuvaluan; Tuvaluans | Funafuti |
TWN | Taiwan | Republic of China; ROC; R.O.C.; Chinese Taipei; Formosa | Taiwanese | Taipei |
TZA | Tanzania | United Republic of Tanzania | Tanzanian; Tanzanians | Dodoma; Dar es Salaam |
UGA | Uganda | | Ugandan; Ugandans | Kampala |
UKR | Ukraine | the Ukraine | Ukrainian; Ukrainians | Kyiv=Kiev | Bankova=Bankova Street
UMI | United States Minor Outlying Islands | U.S. Minor Outlying Islands | | |
URY | Uruguay | Oriental Republic of Uruguay | Uruguayan; Uruguayans | Montevideo |
USA | United States | US; U.S.; USA; U.S.A.; America; United States of America | American; Americans | Washington=Washington, D.C.=Washington D.C.=Washington DC | White House; Oval Office
UZB | Uzbekistan | | Uzbek; Uzbeks; Uzbekistani; Uzbekistanis | Tashkent |
VAT | Vatican City | Holy See; the Holy See; Vatican; Vatican City State | | | Apostolic Palace
VCT | Saint Vincent and the Grenadines | St Vincent and the Grenadines; St. Vincent and the Grenadines; St Vincent; Saint Vincent | Vincentian; Vincentians | Kingstown |
VEN | Venezuela | Bolivarian Republic of Venezuela | Venezuelan; Venezuelans | Caracas | Miraflores=Miraflores Palace
VGB | British Virgin Islands | BVI | British Virgin Islander; British Virgin Islanders | Road Town |
VIR | United States Virgin Islands | U.S. Virgin Islands; US Virgin Islands; USVI | U.S. Virgin Islander; U.S. Virgin Islanders | Charlotte Amalie |
VNM | Vietnam | Viet Nam; Socialist Republic of Vietnam | Vietnamese | Hanoi=Ha Noi |
VUT | Vanuatu | | Ni-Vanuatu | Port Vila=Port-Vila |
WLF | Wallis and Futuna | Wallis and Futuna Islands | Wallisian; Wallisians; Futunan; Futunans | Mata-Utu |
WSM | Samoa | Independent State of Samoa; Western Samoa | Samoan; Samoans | Apia |
XKX | Kosovo | Republic of Kosovo | Kosovar; Kosovars; Kosovan; Kosovans; Kosovo Albanian; Kosovo Albanians | Pristina=Prishtina=Priština |
YEM | Yemen | Republic of Yemen | Yemeni; Yemenis | Sanaa=Sana'a; Aden |
ZAF | South Africa | Republic of South Africa; RSA | South African; South Africans | Pretoria; Cape Town; Bloemfontein | Union Buildings
ZMB | Zambia | | Zambian; Zambians | Lusaka |
ZWE | Zimbabwe | | Zimbabwean; Zimbabweans | Harare |
"""


def _split(cell: str) -> list[str]:
    return [p.strip() for p in cell.split(";") if p.strip()]


def _places(cell: str) -> list[str | list[str]]:
    out: list[str | list[str]] = []
    for item in _split(cell):
        variants = [v.strip() for v in item.split("=") if v.strip()]
        out.append(variants[0] if len(variants) == 1 else variants)
    return out


def _readable(name: str | None) -> bool:
    return bool(name) and "," not in name and "(" not in name


def build() -> list[dict]:
    rows: dict[str, list[str]] = {}
    for line in TABLE.strip().splitlines():
        cols = [c.strip() for c in line.split("|")]
        if len(cols) != 6:
            raise SystemExit(f"bad table line ({len(cols)} columns): {line}")
        if cols[0] in rows:
            raise SystemExit(f"duplicate table line for {cols[0]}")
        rows[cols[0]] = cols
    iso = {c.alpha_3: c for c in pycountry.countries}
    missing = sorted(set(iso) - set(rows))
    unknown = sorted(set(rows) - set(iso) - set(EXTRA))
    if missing or unknown:
        raise SystemExit(f"table out of step with pycountry: missing {missing}, unknown {unknown}")

    entries = []
    for code in sorted(rows):
        _, name, aliases, demonyms, capitals, seats = rows[code]
        alias_list = _split(aliases)
        c = iso.get(code)
        if c is not None:
            for formal in (c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)):
                if _readable(formal):
                    formal = formal[4:] if formal.lower().startswith("the ") else formal
                    if formal != name and formal not in alias_list:
                        alias_list.append(formal)
            iso2 = c.alpha_2
        else:
            iso2 = EXTRA[code][0]
        sovereign = code not in TERRITORIES
        entry: dict = {
            "id": f"country:{code}",
            "type": "Country",
            "name": name,
            "iso3": code,
            "iso2": iso2,
            "aliases": alias_list,
            "demonyms": _split(demonyms),
            "capitals": _places(capitals),
            "seats": _places(seats),
            "sovereign": sovereign,
            "un_member": sovereign and code not in NOT_UN,
        }
        if not sovereign and TERRITORIES[code]:
            entry["country"] = TERRITORIES[code]
        if code in EXTRA:
            entry["note"] = EXTRA[code][2]
        entries.append(entry)
    return entries


def main() -> int:
    entries = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        for e in entries:
            fh.write(json.dumps(e, ensure_ascii=False) + "\n")
    print(f"wrote {len(entries)} countries to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
