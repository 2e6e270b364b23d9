/**
 * Clipboard HTML as Word (Microsoft 365, Windows) and LibreOffice Writer (7.x) put it there when a part of a
 * contribution is copied: Word's full document with its Office namespaces, conditional comments, style block,
 * headings numbered by a list (`mso-list:Ignore` spans) or by hand, list paragraphs with bullet glyphs; LibreOffice's
 * `h1.western` headings with typed numbers and real <ol>/<ul>.
 */

const WORD_HEAD =
  '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" ' +
  'xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" ' +
  'xmlns="http://www.w3.org/TR/REC-html40"><head><meta http-equiv=Content-Type content="text/html; charset=utf-8">' +
  '<meta name=ProgId content=Word.Document><meta name=Generator content="Microsoft Word 15">' +
  '<link rel=File-List href="file:///C:/Users/eve/AppData/Local/Temp/msohtmlclip1/01/clip_filelist.xml">' +
  '<!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/></o:OfficeDocumentSettings></xml><![endif]-->' +
  '<style><!-- /* Style Definitions */ p.MsoNormal, li.MsoNormal, div.MsoNormal {margin:0cm; font-size:12.0pt; ' +
  'font-family:"Times New Roman",serif;} h2 {mso-list:l1 level2 lfo2;} @list l0:level1 {mso-level-number-format:bullet; ' +
  'mso-level-text:\\F0B7; font-family:Symbol;} @list l2:level1 {mso-level-tab-stop:none;} --></style></head>' +
  "<body lang=EN-GB style='tab-interval:36.0pt;word-wrap:break-word'>"

const ignore = (marker: string) =>
  `<![if !supportLists]><span style='mso-fareast-font-family:"Times New Roman"'><span style='mso-list:Ignore'>${marker}` +
  `<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span></span><![endif]>`

const bullet = (cls: string, level: number, marker: string, text: string) =>
  `<p class=${cls} style='margin-left:${36 * level}.0pt;mso-add-space:auto;text-indent:-18.0pt;mso-list:l0 level${level} lfo1'>` +
  `${ignore(marker)}<span lang=EN-GB>${text}<o:p></o:p></span></p>`

const numbered = (cls: string, marker: string, text: string) =>
  `<p class=${cls} style='margin-left:36.0pt;mso-add-space:auto;text-indent:-18.0pt;mso-list:l2 level1 lfo3'>` +
  `${ignore(marker)}<span lang=EN-GB>${text}<o:p></o:p></span></p>`

/** Copied from a contribution to clause 7: a paragraph, then 7.1 (list-numbered), 7.1.1 (typed), and Annex A. */
export const WORD_HTML =
  WORD_HEAD +
  '<!--StartFragment--><div class=WordSection1>' +
  '<p class=MsoNormal><span lang=EN-GB>The framework has four layers.<o:p></o:p></span></p>' +
  `<h2 style='margin-left:0cm;text-indent:0cm;mso-list:l1 level2 lfo2'>${ignore('7.1')}` +
  '<span lang=EN-GB>Infrastructure layer<o:p></o:p></span></h2>' +
  '<p class=MsoNormal><span lang=EN-GB>The infrastructure layer hosts <b>compute</b> and storage.<o:p></o:p></span></p>' +
  "<p class=MsoNormal><span lang=EN-GB>NOTE<span style='mso-spacerun:yes'>&nbsp;</span>– The layer is shared " +
  'between platforms.<o:p></o:p></span></p>' +
  bullet('MsoListParagraphCxSpFirst', 1, '·', 'avatars;') +
  bullet('MsoListParagraphCxSpMiddle', 2, 'o', 'their appearance;') +
  bullet('MsoListParagraphCxSpLast', 1, '·', 'virtual goods.') +
  "<p class=MsoHeading3><span lang=EN-GB>7.1.1<span style='mso-tab-count:1'>&nbsp;&nbsp; </span>Compute<o:p></o:p></span></p>" +
  numbered('MsoListParagraphCxSpFirst', '1.', 'Schedule the workload.') +
  numbered('MsoListParagraphCxSpLast', '2.', 'Report the result.') +
  "<h1><span lang=EN-GB>Annex A<span style='mso-tab-count:1'> </span>– Security profile<o:p></o:p></span></h1>" +
  '<p class=MsoNormal><span lang=EN-GB>This annex lists the security requirements.<o:p></o:p></span></p>' +
  '</div><!--EndFragment--></body></html>'

/** Copied from LibreOffice Writer into clause 6: 6.1 with a NOTE, an ordered and a bulleted list, then 6.1.1. */
export const LIBREOFFICE_HTML =
  '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0 Transitional//EN"><html><head>' +
  '<meta http-equiv="content-type" content="text/html; charset=utf-8"/><title></title>' +
  '<meta name="generator" content="LibreOffice 7.4.7.2 (Linux)"/><style type="text/css">' +
  '@page { size: 21cm 29.7cm; margin: 2cm } p { line-height: 115%; margin-bottom: 0.25cm; background: transparent } ' +
  'h1 { margin-bottom: 0.21cm; background: transparent; page-break-after: avoid } ' +
  'h1.western { font-family: "Liberation Serif", serif; font-size: 24pt; font-weight: bold }</style></head>' +
  '<body lang="en-GB" link="#000080" vlink="#800000" dir="ltr">' +
  '<h2 class="western">6.1 Actors</h2>' +
  '<p style="line-height: 100%; margin-bottom: 0cm">Users act through avatars.</p>' +
  '<p style="line-height: 100%; margin-bottom: 0cm">NOTE 1 – An avatar can be a person or an agent.</p>' +
  '<ol><li><p style="line-height: 100%; margin-bottom: 0cm">enter the world;</p></li>' +
  '<li><p style="line-height: 100%; margin-bottom: 0cm">meet other users.</p></li></ol>' +
  '<ul><li><p style="line-height: 100%; margin-bottom: 0cm"><font face="Liberation Serif, serif">a bullet</font></p></li></ul>' +
  '<h3 class="western">6.1.1 Avatars</h3>' +
  '<p style="line-height: 100%; margin-bottom: 0cm">Avatars carry the <i>identity</i> of a user.</p>' +
  '</body></html>'

/** Copied from Word without a heading: a NOTE and a bulleted list, pasted into the text of a clause. */
export const WORD_LIST_HTML =
  WORD_HEAD +
  '<!--StartFragment-->' +
  '<p class=MsoNormal><span lang=EN-GB>NOTE 2 – Examples are informative.<o:p></o:p></span></p>' +
  bullet('MsoListParagraphCxSpFirst', 1, '·', 'a shop;') +
  bullet('MsoListParagraphCxSpLast', 1, '·', 'a classroom.') +
  '<!--EndFragment--></body></html>'
